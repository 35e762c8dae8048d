{{ config(materialized='table') }}

{{ quarantined_rows(ref('int_campaigns_validated')) }}
