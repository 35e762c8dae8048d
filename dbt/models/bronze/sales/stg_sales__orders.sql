with source as (
    select * from {{ source('sales', 'orders') }}
),

renamed as (
    select
        {{ cast_keeping_raw('order_id', dbt.type_bigint()) }},
        {{ cast_keeping_raw('customer_id', dbt.type_bigint()) }},
        order_status,
        currency_code,
        {{ cast_keeping_raw('order_total', 'decimal(18, 2)') }},
        {{ cast_keeping_raw('ordered_at', dbt.type_timestamp()) }},
        {{ cast_keeping_raw('updated_at', dbt.type_timestamp()) }},
        _op as cdc_operation,
        _change_seq as change_seq,
        _ingested_at as ingested_at
    from source
)

select * from renamed
