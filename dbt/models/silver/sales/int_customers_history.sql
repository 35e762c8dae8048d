{{ config(materialized='table') }}

{#- Type 2 history of each customer rebuilt from its change events: a version is valid from its change
    until the next change of the same customer (valid_to null = current). Rebuilt in full from the
    immutable event log, so late events land in their place in history. -#}
with changes as (
    select * from {{ ref('int_customer_changes') }}
),

versions as (
    select
        customer_id,
        email,
        full_name,
        country_code,
        segment,
        created_at,
        cdc_operation,
        change_seq,
        updated_at as valid_from,
        lead(updated_at) over (partition by customer_id order by change_seq) as valid_to
    from changes
)

select
    {%- set version_parts = [
        'cast(customer_id as ' ~ dbt.type_string() ~ ')',
        "'-'",
        'cast(change_seq as ' ~ dbt.type_string() ~ ')',
    ] %}
    {{ dbt.hash(dbt.concat(version_parts)) }} as customer_version_key,
    customer_id,
    email,
    full_name,
    country_code,
    segment,
    created_at,
    change_seq,
    valid_from,
    valid_to,
    valid_to is null as is_current
from versions
where cdc_operation != 'delete'
