with staged as (
    select * from {{ ref('stg_sales__order_items') }}
),

standardised as (
    select
        order_id,
        order_id_raw,
        line_number,
        line_number_raw,
        upper(trim(product_id)) as product_id,
        quantity,
        quantity_raw,
        unit_price,
        unit_price_raw,
        updated_at,
        updated_at_raw,
        lower(trim(cdc_operation)) as cdc_operation,
        change_seq,
        ingested_at
    from staged
)

select
    standardised.*,
    {{ rejection_reason(
        [
            ['order_id is null', 'order_id missing or not a number'],
            ['line_number is null', 'line_number missing or not a number'],
        ]
        + cdc_envelope_checks()
        + [
            ["cdc_operation != 'delete' and product_id is null", 'product_id missing'],
            ["cdc_operation != 'delete' and quantity is null", 'quantity missing or not a number'],
            ["cdc_operation != 'delete' and (quantity < 1 or quantity > 10000)", 'quantity out of range 1-10000'],
            ["cdc_operation != 'delete' and unit_price is null", 'unit_price missing or not a decimal'],
            ["cdc_operation != 'delete' and unit_price < 0", 'unit_price negative'],
        ]
    ) }} as rejection_reason
from standardised
