{#- Current customers, without deleted ones. Personal data stays in silver: gold carries a hash of the
    e-mail address, enough to join marketing data. customer_id -1 is the unknown member that orders
    of customers not (yet) delivered by the CRM point to. -#}
with customers as (
    select * from {{ ref('int_customers_current') }}
    where not is_deleted
)

select
    customer_id,
    {{ dbt.hash('email') }} as email_hash,
    country_code,
    segment,
    created_at,
    updated_at,
    false as is_unknown
from customers

union all

select
    cast(-1 as {{ dbt.type_bigint() }}) as customer_id,
    cast(null as {{ dbt.type_string() }}) as email_hash,
    cast(null as {{ dbt.type_string() }}) as country_code,
    'unknown' as segment,
    cast(null as {{ dbt.type_timestamp() }}) as created_at,
    cast(null as {{ dbt.type_timestamp() }}) as updated_at,
    true as is_unknown
