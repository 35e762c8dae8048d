with source as (
    select * from {{ source('marketing', 'web_events') }}
),

renamed as (
    select
        event_id,
        session_id,
        {{ cast_keeping_raw('customer_id', dbt.type_bigint()) }},
        event_type,
        page_url,
        ip_address,
        {{ cast_keeping_raw('event_at', dbt.type_timestamp()) }},
        _kafka_partition as kafka_partition,
        _kafka_offset as kafka_offset,
        _ingested_at as ingested_at
    from source
)

select * from renamed
