{{ config(materialized='table') }}

{#- A retried file delivers its sign-ups again; the first delivery of each signup_id is kept. -#}
{{ accepted_deduplicated(
    ref('int_newsletter_signups_validated'),
    ['signup_id'],
    ['signup_id', 'email', 'campaign_id', 'consented_at', 'source_file', 'ingested_at'],
    order_by='ingested_at, source_file',
) }}
