{{ config(
    materialized='incremental',
    unique_key='order_id',
    incremental_strategy='merge',
    on_schema_change='fail',
) }}

{{ cdc_current_state(
    ref('int_order_changes'),
    ['order_id'],
    ['order_id', 'customer_id', 'order_status', 'currency_code', 'order_total', 'ordered_at', 'updated_at'],
) }}
