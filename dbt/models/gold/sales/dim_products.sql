{#- The product catalogue: the current products (those of the latest export), the products that have
    left it (deleted: last known attributes, not active, is_deleted) so that their past order lines
    keep their product, and product_id UNKNOWN, the member that order lines of products never in the
    catalogue point to. -#}
with versions as (
    select
        product_id,
        product_name,
        category,
        list_price,
        row_number() over (partition by product_id order by ingested_at desc) as version_rank
    from {{ ref('int_product_versions') }}
),

current_products as (
    select
        product_id,
        product_name,
        category,
        list_price,
        is_active
    from {{ ref('int_products') }}
)

select
    product_id,
    product_name,
    category,
    list_price,
    is_active,
    false as is_deleted,
    false as is_unknown
from current_products

union all

select
    versions.product_id,
    versions.product_name,
    versions.category,
    versions.list_price,
    false as is_active,
    true as is_deleted,
    false as is_unknown
from versions
left join current_products
    on versions.product_id = current_products.product_id
where versions.version_rank = 1 and current_products.product_id is null

union all

select
    'UNKNOWN' as product_id,
    'Unknown product' as product_name,
    'unknown' as category,
    cast(null as decimal(18, 2)) as list_price,
    false as is_active,
    false as is_deleted,
    true as is_unknown
