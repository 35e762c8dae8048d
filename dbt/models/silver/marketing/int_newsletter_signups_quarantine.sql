{{ config(materialized='table') }}

{{ quarantined_rows(ref('int_newsletter_signups_validated')) }}
