{{ config(materialized='table') }}

{#- The current catalogue: the products of the latest nightly export (a full export, so a product
    missing from it has been deleted and is left out; the snapshot closes it). Each product is as in the
    latest export that delivered a valid row for it: a product whose row in the latest export was
    quarantined keeps its previous valid version rather than vanishing. An export without any row is
    no export: the previous one stays the latest. -#}
with latest_export as (
    select distinct exported.product_id
    from {{ ref('int_products_validated') }} as exported
    where
        exported.product_id is not null
        and exported.ingested_at = (
            select max(exports.ingested_at) from {{ ref('int_products_validated') }} as exports
        )
),

ranked as (
    select
        versions.product_id,
        versions.product_name,
        versions.category,
        versions.list_price,
        coalesce(versions.is_active, true) as is_active,
        versions.ingested_at as last_exported_at,
        row_number() over (partition by versions.product_id order by versions.ingested_at desc) as version_rank
    from {{ ref('int_product_versions') }} as versions
    inner join latest_export
        on versions.product_id = latest_export.product_id
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
