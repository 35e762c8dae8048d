{#- One row per live order line of a live order. Lines of orders that are deleted or have no accepted
    state are left out (the silver relationship test reports them). -#}
with items as (
    select * from {{ ref('int_order_items_current') }}
    where not is_deleted
),

orders as (
    select
        order_id,
        order_date,
        currency_code,
        rate_to_eur,
        is_revenue
    from {{ ref('fct_orders') }}
),

products as (
    select product_id from {{ ref('dim_products') }}
)

select
    items.order_id,
    items.line_number,
    coalesce(products.product_id, 'UNKNOWN') as product_id,
    items.product_id as source_product_id,
    orders.order_date,
    items.quantity,
    items.unit_price,
    cast(items.quantity * items.unit_price as decimal(18, 2)) as line_amount,
    orders.currency_code,
    cast(items.quantity * items.unit_price * orders.rate_to_eur as decimal(18, 2)) as line_amount_eur,
    orders.is_revenue
from items
inner join orders
    on items.order_id = orders.order_id
left join products
    on items.product_id = products.product_id
