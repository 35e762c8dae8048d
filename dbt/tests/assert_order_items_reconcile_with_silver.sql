-- Every live order line of a live order in silver is in fct_order_items, with the same amount.
with silver as (
    select
        items.order_id,
        items.line_number,
        items.quantity * items.unit_price as line_amount
    from {{ ref('int_order_items_current') }} as items
    inner join {{ ref('int_orders_current') }} as orders
        on items.order_id = orders.order_id
    where not items.is_deleted and not orders.is_deleted
)

select
    silver.order_id,
    silver.line_number
from silver
left join {{ ref('fct_order_items') }} as gold
    on
        silver.order_id = gold.order_id
        and silver.line_number = gold.line_number
where gold.order_id is null or abs(gold.line_amount - silver.line_amount) > 0.01
