{{ config(materialized='table') }}

{{ quarantined_rows(ref('int_customers_validated')) }}
