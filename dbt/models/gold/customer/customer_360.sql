{#- One row per known customer: profile, lifetime value, recent web activity and newsletter consent,
    as of the run's as_of instant. -#}
with customers as (
    select * from {{ ref('dim_customers') }}
    where not is_unknown
),

orders as (
    select
        customer_id,
        count(*) as lifetime_order_count,
        sum(case when is_revenue then order_total_eur else 0 end) as lifetime_revenue_eur,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at
    from {{ ref('fct_orders') }}
    group by customer_id
),

web as (
    select
        customer_id,
        count(distinct session_id) as web_session_count_30d,
        count(*) as web_event_count_30d
    from {{ ref('int_web_events') }}
    where
        customer_id is not null
        and event_at >= {{ dbt.dateadd('day', -30, as_of_timestamp()) }}
    group by customer_id
),

newsletter as (
    select distinct {{ dbt.hash('email') }} as email_hash
    from {{ ref('int_newsletter_signups') }}
)

select
    customers.customer_id,
    customers.segment,
    customers.country_code,
    customers.created_at,
    cast(coalesce(orders.lifetime_order_count, 0) as {{ dbt.type_bigint() }}) as lifetime_order_count,
    cast(coalesce(orders.lifetime_revenue_eur, 0) as decimal(18, 2)) as lifetime_revenue_eur,
    orders.first_order_at,
    orders.last_order_at,
    cast(
        {{ dbt.datediff('orders.last_order_at', as_of_timestamp(), 'day') }}
        as {{ dbt.type_int() }}
    ) as days_since_last_order,
    cast(coalesce(web.web_session_count_30d, 0) as {{ dbt.type_bigint() }}) as web_session_count_30d,
    cast(coalesce(web.web_event_count_30d, 0) as {{ dbt.type_bigint() }}) as web_event_count_30d,
    newsletter.email_hash is not null as is_newsletter_subscriber
from customers
left join orders
    on customers.customer_id = orders.customer_id
left join web
    on customers.customer_id = web.customer_id
left join newsletter
    on customers.email_hash = newsletter.email_hash
