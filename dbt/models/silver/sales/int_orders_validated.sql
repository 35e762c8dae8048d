{%- set coded = {'order_status': 'order_status', 'currency_code': 'currency'} -%}

with staged as (
    select * from {{ ref('stg_sales__orders') }}
),

standardised as (
    select
        order_id,
        order_id_raw,
        customer_id,
        customer_id_raw,
        lower(trim(order_status)) as order_status,
        upper(trim(currency_code)) as currency_code,
        order_total,
        order_total_raw,
        ordered_at,
        ordered_at_raw,
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
        ]
        + cdc_envelope_checks()
        + [
            ["cdc_operation != 'delete' and customer_id is null", 'customer_id missing or not a number'],
            ["cdc_operation != 'delete' and ordered_at is null", 'ordered_at missing or not a timestamp'],
            ["cdc_operation != 'delete' and order_status is null", 'order_status missing'],
            ["cdc_operation != 'delete' and " ~ cast_failed('order_total'), 'order_total not a decimal'],
            ["cdc_operation != 'delete' and order_total < 0", 'order_total negative'],
            ["cdc_operation != 'delete' and currency_code is null", 'currency_code missing'],
        ]
        + reference_code_checks(coded, "cdc_operation != 'delete'")
    ) }} as rejection_reason
from {{ reference_code_joins('standardised', coded) }}
