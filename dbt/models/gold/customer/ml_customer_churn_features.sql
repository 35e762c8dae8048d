{#- Training rows for the churn model. Features are computed from what was known at the feature date
    (as_of minus churn_inactivity_days) and the label from what happened after it, so no feature leaks
    the label: churned = no order in the churn_inactivity_days that followed. -#}
{%- set horizon = var('churn_inactivity_days') -%}
{%- set feature_at = dbt.dateadd('day', -1 * horizon, as_of_timestamp()) -%}

with customers as (
    select * from {{ ref('dim_customers') }}
    where
        not is_unknown
        and created_at < {{ feature_at }}
),

orders as (
    select
        customer_id,
        ordered_at,
        order_status,
        order_total_eur,
        is_revenue
    from {{ ref('fct_orders') }}
),

history as (
    select
        customer_id,
        count(*) as order_count,
        sum(case when ordered_at >= {{ dbt.dateadd('day', -30, feature_at) }} then 1 else 0 end) as order_count_30d,
        sum(
            case
                when
                    ordered_at >= {{ dbt.dateadd('day', -60, feature_at) }}
                    and ordered_at < {{ dbt.dateadd('day', -30, feature_at) }}
                    then 1
                else 0
            end
        ) as order_count_prior_30d,
        sum(case when is_revenue then order_total_eur else 0 end) as revenue_eur,
        avg(order_total_eur) as average_order_value_eur,
        sum(case when order_status = 'cancelled' then 1 else 0 end) as cancelled_order_count,
        max(ordered_at) as last_order_at
    from orders
    where ordered_at < {{ feature_at }}
    group by customer_id
),

web as (
    select
        customer_id,
        count(distinct session_id) as web_session_count_30d,
        sum(case when event_type = 'add_to_cart' then 1 else 0 end) as add_to_cart_count_30d
    from {{ ref('int_web_events') }}
    where
        customer_id is not null
        and event_at < {{ feature_at }}
        and event_at >= {{ dbt.dateadd('day', -30, feature_at) }}
    group by customer_id
),

ordered_after as (
    select distinct customer_id
    from orders
    where
        ordered_at >= {{ feature_at }}
        and ordered_at < {{ as_of_timestamp() }}
)

select
    customers.customer_id,
    cast({{ feature_at }} as date) as feature_date,
    customers.segment,
    customers.country_code,
    cast(
        {{ dbt.datediff('customers.created_at', feature_at, 'day') }}
        as {{ dbt.type_int() }}
    ) as tenure_days,
    cast(
        {{ dbt.datediff('history.last_order_at', feature_at, 'day') }}
        as {{ dbt.type_int() }}
    ) as recency_days,
    cast(coalesce(history.order_count, 0) as {{ dbt.type_bigint() }}) as order_count,
    cast(coalesce(history.order_count_30d, 0) as {{ dbt.type_bigint() }}) as order_count_30d,
    cast(coalesce(history.order_count_prior_30d, 0) as {{ dbt.type_bigint() }}) as order_count_prior_30d,
    cast(coalesce(history.revenue_eur, 0) as decimal(18, 2)) as revenue_eur,
    cast(history.average_order_value_eur as decimal(18, 2)) as average_order_value_eur,
    cast(
        case when history.order_count > 0 then 1.0 * history.cancelled_order_count / history.order_count else 0 end
        as double
    ) as cancelled_order_ratio,
    cast(coalesce(web.web_session_count_30d, 0) as {{ dbt.type_bigint() }}) as web_session_count_30d,
    cast(coalesce(web.add_to_cart_count_30d, 0) as {{ dbt.type_bigint() }}) as add_to_cart_count_30d,
    ordered_after.customer_id is null as is_churned
from customers
left join history
    on customers.customer_id = history.customer_id
left join web
    on customers.customer_id = web.customer_id
left join ordered_after
    on customers.customer_id = ordered_after.customer_id
