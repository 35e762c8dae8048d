{#- One row per live order (deleted orders excluded), amounts converted to EUR at the rate published
    on or before the order date. -#}
with orders as (
    select * from {{ ref('int_orders_current') }}
    where not is_deleted
),

items as (
    select
        order_id,
        count(*) as item_count,
        sum(quantity) as unit_count
    from {{ ref('int_order_items_current') }}
    where not is_deleted
    group by order_id
),

rates as (
    select * from {{ ref('int_exchange_rates') }}
),

customers as (
    select customer_id from {{ ref('dim_customers') }}
),

converted as (
    select
        orders.order_id,
        coalesce(customers.customer_id, -1) as customer_id,
        orders.customer_id as source_customer_id,
        cast(orders.ordered_at as date) as order_date,
        orders.ordered_at,
        orders.updated_at,
        orders.order_status,
        orders.currency_code,
        orders.order_total,
        case
            when orders.currency_code = 'EUR' then cast(1 as decimal(18, 8))
            else rates.rate_to_eur
        end as rate_to_eur,
        coalesce(items.item_count, 0) as item_count,
        coalesce(items.unit_count, 0) as unit_count
    from orders
    left join customers
        on orders.customer_id = customers.customer_id
    left join items
        on orders.order_id = items.order_id
    left join rates
        on
            orders.currency_code = rates.currency_code
            and cast(orders.ordered_at as date) >= rates.valid_from
            and (rates.valid_until is null or cast(orders.ordered_at as date) < rates.valid_until)
)

select
    order_id,
    cast(customer_id as {{ dbt.type_bigint() }}) as customer_id,
    source_customer_id,
    order_date,
    ordered_at,
    updated_at,
    order_status,
    currency_code,
    order_total,
    rate_to_eur,
    cast(order_total * rate_to_eur as decimal(18, 2)) as order_total_eur,
    cast(item_count as {{ dbt.type_int() }}) as item_count,
    cast(unit_count as {{ dbt.type_int() }}) as unit_count,
    order_status not in ('cancelled', 'returned') as is_revenue
from converted
