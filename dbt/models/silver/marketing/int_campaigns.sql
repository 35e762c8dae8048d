{{ config(materialized='table') }}

{#- Cursor pages of the API overlap: a campaign can arrive twice in one pull; the latest pull wins. -#}
{{ accepted_deduplicated(
    ref('int_campaigns_validated'),
    ['campaign_id'],
    ['campaign_id', 'campaign_name', 'channel', 'budget', 'starts_on', 'ends_on', 'ingested_at'],
    order_by='ingested_at desc',
) }}
