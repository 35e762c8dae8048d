{{ config(materialized='table') }}

{{ quarantined_rows(ref('int_exchange_rates_validated')) }}
