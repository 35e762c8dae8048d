{#- Standardises the staged customer changes and flags the first rule each row breaks. A delete carries
    only the key, so the attribute rules apply to inserts and updates. -#}
{%- set coded = {'country_code': 'country', 'segment': 'customer_segment'} -%}

with staged as (
    select * from {{ ref('stg_sales__customers') }}
),

standardised as (
    select
        customer_id,
        customer_id_raw,
        lower(trim(email)) as email,
        trim(full_name) as full_name,
        upper(trim(country_code)) as country_code,
        lower(trim(segment)) as segment,
        created_at,
        created_at_raw,
        updated_at,
        updated_at_raw,
        lower(trim(cdc_operation)) as cdc_operation,
        change_seq,
        ingested_at
    from staged
)

select
    standardised.*,
    {{ rejection_reason(
        [
            ['customer_id is null', 'customer_id missing or not a number'],
        ]
        + cdc_envelope_checks()
        + [
            ["cdc_operation != 'delete' and created_at is null", 'created_at missing or not a timestamp'],
            ["cdc_operation != 'delete' and email is null", 'email missing'],
            ["cdc_operation != 'delete' and segment is null", 'segment missing'],
        ]
        + reference_code_checks(coded, "cdc_operation != 'delete'")
    ) }} as rejection_reason
from {{ reference_code_joins('standardised', coded) }}
