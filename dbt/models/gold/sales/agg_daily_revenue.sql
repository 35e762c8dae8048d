{{ config(materialized='view') }}

{#- Daily sales KPIs in EUR; days without orders appear with zeros so that charts have no gaps. -#}
with days as (
    select date_day from {{ ref('dim_date') }}
    where
        date_day >= (select min(first_orders.order_date) from {{ ref('fct_orders') }} as first_orders)
        and date_day <= (select max(last_orders.order_date) from {{ ref('fct_orders') }} as last_orders)
),

orders as (
    select
        order_date,
        count(*) as order_count,
        sum(case when is_revenue then 1 else 0 end) as revenue_order_count,
        sum(case when is_revenue then order_total_eur else 0 end) as revenue_eur,
        sum(case when order_status = 'cancelled' then 1 else 0 end) as cancelled_order_count
    from {{ ref('fct_orders') }}
    group by order_date
)

select
    days.date_day as order_date,
    cast(coalesce(orders.order_count, 0) as {{ dbt.type_bigint() }}) as order_count,
    cast(coalesce(orders.revenue_order_count, 0) as {{ dbt.type_bigint() }}) as revenue_order_count,
    cast(coalesce(orders.revenue_eur, 0) as decimal(18, 2)) as revenue_eur,
    cast(coalesce(orders.cancelled_order_count, 0) as {{ dbt.type_bigint() }}) as cancelled_order_count,
    cast(
        case when orders.revenue_order_count > 0 then orders.revenue_eur / orders.revenue_order_count end
        as decimal(18, 2)
    ) as average_order_value_eur
from days
left join orders
    on days.date_day = orders.order_date
