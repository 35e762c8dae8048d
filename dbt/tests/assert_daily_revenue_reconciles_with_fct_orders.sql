-- Gold KPIs reconcile with the fact table they aggregate: same orders and same revenue in total.
with kpis as (
    select
        sum(order_count) as order_count,
        sum(revenue_eur) as revenue_eur
    from {{ ref('agg_daily_revenue') }}
),

facts as (
    select
        count(*) as order_count,
        sum(case when is_revenue then order_total_eur else 0 end) as revenue_eur
    from {{ ref('fct_orders') }}
)

select
    kpis.order_count as kpi_orders,
    facts.order_count as fact_orders,
    kpis.revenue_eur as kpi_revenue_eur,
    facts.revenue_eur as fact_revenue_eur
from kpis
cross join facts
where
    kpis.order_count != facts.order_count
    or abs(coalesce(kpis.revenue_eur, 0) - coalesce(facts.revenue_eur, 0)) > 0.01
