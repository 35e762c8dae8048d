{%- set coded = {'channel': 'campaign_channel'} -%}

with staged as (
    select * from {{ ref('stg_marketing__campaigns') }}
),

standardised as (
    select
        upper(trim(campaign_id)) as campaign_id,
        trim(campaign_name) as campaign_name,
        lower(trim(channel)) as channel,
        budget,
        budget_raw,
        starts_on,
        starts_on_raw,
        ends_on,
        ends_on_raw,
        ingested_at
    from staged
)

select
    standardised.*,
    {{ rejection_reason(
        [
            ['campaign_id is null', 'campaign_id missing'],
            ['campaign_name is null', 'campaign_name missing'],
            ['channel is null', 'channel missing'],
        ]
        + reference_code_checks(coded)
        + [
            [cast_failed('budget'), 'budget not a decimal'],
            ['budget < 0', 'budget negative'],
            [cast_failed('starts_on'), 'starts_on not a date'],
            [cast_failed('ends_on'), 'ends_on not a date'],
            ['ends_on < starts_on', 'ends_on before starts_on'],
        ]
    ) }} as rejection_reason
from {{ reference_code_joins('standardised', coded) }}
