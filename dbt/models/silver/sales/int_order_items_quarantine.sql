{{ config(materialized='table') }}

{{ quarantined_rows(ref('int_order_items_validated')) }}
