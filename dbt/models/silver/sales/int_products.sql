{{ config(materialized='table') }}

{#- The current catalogue: each product as in the latest export that delivered a valid row for it. A
    product whose latest row was quarantined keeps its previous valid version rather than vanishing. -#}
with ranked as (
    select
        product_id,
        product_name,
        category,
        list_price,
        coalesce(is_active, true) as is_active,
        ingested_at as last_exported_at,
        row_number() over (partition by product_id order by ingested_at desc) as version_rank
    from {{ ref('int_product_versions') }}
)

select
    product_id,
    product_name,
    category,
    list_price,
    is_active,
    last_exported_at
from ranked
where version_rank = 1
