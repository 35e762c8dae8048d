{%- set coded = {'event_type': 'web_event_type'} -%}

with staged as (
    select * from {{ ref('stg_marketing__web_events') }}
),

standardised as (
    select
        trim(event_id) as event_id,
        trim(session_id) as session_id,
        customer_id,
        customer_id_raw,
        lower(trim(event_type)) as event_type,
        page_url,
        ip_address,
        event_at,
        event_at_raw,
        kafka_partition,
        kafka_offset,
        ingested_at
    from staged
)

select
    standardised.*,
    {{ rejection_reason(
        [
            ['event_id is null', 'event_id missing'],
            ['session_id is null', 'session_id missing'],
            ['event_at is null', 'event_at missing or not a timestamp'],
            ['event_type is null', 'event_type missing'],
        ]
        + reference_code_checks(coded)
        + [
            [cast_failed('customer_id'), 'customer_id not a number'],
        ]
    ) }} as rejection_reason
from {{ reference_code_joins('standardised', coded) }}
