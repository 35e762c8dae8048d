{{ config(materialized='table') }}

{{ quarantined_rows(ref('int_web_events_validated')) }}
