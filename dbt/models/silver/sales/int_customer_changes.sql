{{ config(materialized='table') }}

{#- Accepted customer change events, one per (customer, change): re-deliveries collapsed.
    A table: the CDC event log is read by the current state, the history and the tests. -#}
{{ accepted_deduplicated(
    ref('int_customers_validated'),
    ['customer_id', 'change_seq'],
    ['customer_id', 'email', 'full_name', 'country_code', 'segment', 'created_at', 'updated_at', 'cdc_operation', 'change_seq', 'ingested_at'],
) }}
