{{ config(materialized='table') }}

{{ quarantined_rows(ref('int_orders_validated')) }}
