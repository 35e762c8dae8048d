{#- The current catalogue; product_id UNKNOWN is the member that order lines of products missing from
    the catalogue point to. -#}
select
    product_id,
    product_name,
    category,
    list_price,
    is_active,
    false as is_unknown
from {{ ref('int_products') }}

union all

select
    'UNKNOWN' as product_id,
    'Unknown product' as product_name,
    'unknown' as category,
    cast(null as decimal(18, 2)) as list_price,
    false as is_active,
    true as is_unknown
