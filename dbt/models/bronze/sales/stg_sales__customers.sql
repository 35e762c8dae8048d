with source as (
    select * from {{ source('sales', 'customers') }}
),

renamed as (
    select
        {{ cast_keeping_raw('customer_id', dbt.type_bigint()) }},
        email,
        full_name,
        country_code,
        segment,
        {{ cast_keeping_raw('created_at', dbt.type_timestamp()) }},
        {{ cast_keeping_raw('updated_at', dbt.type_timestamp()) }},
        _op as cdc_operation,
        _change_seq as change_seq,
        _ingested_at as ingested_at
    from source
)

select * from renamed
