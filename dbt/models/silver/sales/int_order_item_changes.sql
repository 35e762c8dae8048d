{{ config(materialized='table') }}

{#- Accepted order line change events, one per (order, line, change): re-deliveries collapsed.
    A table: the CDC event log is read by the current state, the history and the tests. -#}
{{ accepted_deduplicated(
    ref('int_order_items_validated'),
    ['order_id', 'line_number', 'change_seq'],
    ['order_id', 'line_number', 'product_id', 'quantity', 'unit_price', 'updated_at', 'cdc_operation', 'change_seq', 'ingested_at'],
) }}
