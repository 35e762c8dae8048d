{{ config(materialized='table') }}

{#- Accepted order change events, one per (order, change): re-deliveries collapsed.
    A table: the CDC event log is read by the current state, the history and the tests. -#}
{{ accepted_deduplicated(
    ref('int_orders_validated'),
    ['order_id', 'change_seq'],
    ['order_id', 'customer_id', 'order_status', 'currency_code', 'order_total', 'ordered_at', 'updated_at', 'cdc_operation', 'change_seq', 'ingested_at'],
) }}
