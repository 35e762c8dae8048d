with source as (
    select * from {{ source('sales', 'order_items') }}
),

renamed as (
    select
        {{ cast_keeping_raw('order_id', dbt.type_bigint()) }},
        {{ cast_keeping_raw('line_number', dbt.type_int()) }},
        product_id,
        {{ cast_keeping_raw('quantity', dbt.type_int()) }},
        {{ cast_keeping_raw('unit_price', 'decimal(18, 2)') }},
        {{ cast_keeping_raw('updated_at', dbt.type_timestamp()) }},
        _op as cdc_operation,
        _change_seq as change_seq,
        _ingested_at as ingested_at
    from source
)

select * from renamed
