{{ config(materialized='table') }}

{{ quarantined_rows(ref('int_products_validated')) }}
