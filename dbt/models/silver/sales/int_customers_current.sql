{{ config(
    materialized='incremental',
    unique_key='customer_id',
    incremental_strategy='merge',
    on_schema_change='fail',
) }}

{{ cdc_current_state(
    ref('int_customer_changes'),
    ['customer_id'],
    ['customer_id', 'email', 'full_name', 'country_code', 'segment', 'created_at', 'updated_at'],
) }}
