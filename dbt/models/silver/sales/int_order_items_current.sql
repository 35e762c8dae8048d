{{ config(
    materialized='incremental',
    unique_key=['order_id', 'line_number'],
    incremental_strategy='merge',
    on_schema_change='fail',
) }}

{{ cdc_current_state(
    ref('int_order_item_changes'),
    ['order_id', 'line_number'],
    ['order_id', 'line_number', 'product_id', 'quantity', 'unit_price', 'updated_at'],
) }}
