{{ config(materialized='table') }}

{#- The current catalogue: the products of the latest nightly export (a full export, so a product
    missing from it has been deleted and is left out; the snapshot closes it). Each product is as in the
    latest export that delivered a valid row for it: a product whose row in the latest export was
    quarantined keeps its previous valid version rather than vanishing. An export without any row is
    no export: the previous one stays the latest. The latest export is the file(s) of the latest landed
    rows, whole even if a file landed over more than one instant. -#}
with exports as (
    select
        product_id,
        source_file,
        ingested_at
    from {{ ref('int_products_validated') }}
),

latest_load as (
    select max(ingested_at) as ingested_at from exports
),

latest_files as (
    select distinct exports.source_file
    from exports
    inner join latest_load
        on exports.ingested_at = latest_load.ingested_at
),

latest_export as (
    select distinct exports.product_id
    from exports
    cross join latest_load
    left join latest_files
        on exports.source_file = latest_files.source_file
    where
        exports.product_id is not null
        and (latest_files.source_file is not null or exports.ingested_at = latest_load.ingested_at)
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
