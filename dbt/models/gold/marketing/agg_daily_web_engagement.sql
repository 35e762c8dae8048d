{{ config(materialized='view') }}

{#- Daily funnel of the web shop: sessions and the events of each step. -#}
with events as (
    select
        cast(event_at as date) as event_date,
        session_id,
        customer_id,
        event_type
    from {{ ref('int_web_events') }}
),

daily as (
    select
        event_date,
        count(distinct session_id) as session_count,
        count(distinct customer_id) as identified_customer_count,
        count(*) as event_count,
        sum(case when event_type = 'page_view' then 1 else 0 end) as page_view_count,
        sum(case when event_type = 'add_to_cart' then 1 else 0 end) as add_to_cart_count,
        sum(case when event_type = 'checkout' then 1 else 0 end) as checkout_count,
        sum(case when event_type = 'purchase' then 1 else 0 end) as purchase_count
    from events
    group by event_date
)

select
    event_date,
    cast(session_count as {{ dbt.type_bigint() }}) as session_count,
    cast(identified_customer_count as {{ dbt.type_bigint() }}) as identified_customer_count,
    cast(event_count as {{ dbt.type_bigint() }}) as event_count,
    cast(page_view_count as {{ dbt.type_bigint() }}) as page_view_count,
    cast(add_to_cart_count as {{ dbt.type_bigint() }}) as add_to_cart_count,
    cast(checkout_count as {{ dbt.type_bigint() }}) as checkout_count,
    cast(purchase_count as {{ dbt.type_bigint() }}) as purchase_count,
    cast(
        case when add_to_cart_count > 0 then 1.0 * purchase_count / add_to_cart_count end
        as double
    ) as cart_to_purchase_rate
from daily
