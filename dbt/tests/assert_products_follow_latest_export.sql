-- The product catalogue is the latest nightly export: a product missing from it is closed in the
-- snapshot, left out of int_products and not active in dim_products (one row per broken expectation).
with latest_export as (
    select distinct products.product_id
    from {{ ref('stg_sales__products') }} as products
    where products.ingested_at = (select max(exports.ingested_at) from {{ ref('stg_sales__products') }} as exports)
),

violations as (
    select
        current_products.product_id,
        'in int_products but not in the latest export' as problem
    from {{ ref('int_products') }} as current_products
    where current_products.product_id not in (select latest_export.product_id from latest_export)

    union all

    select
        snapshotted.product_id,
        'open in snap_products but not in the latest export' as problem
    from {{ ref('snap_products') }} as snapshotted
    where
        snapshotted.dbt_valid_to is null
        and snapshotted.product_id not in (select latest_export.product_id from latest_export)

    union all

    select
        dim.product_id,
        'active in dim_products but not in the latest export' as problem
    from {{ ref('dim_products') }} as dim
    where
        not dim.is_unknown
        and dim.is_active
        and dim.product_id not in (select latest_export.product_id from latest_export)
)

select * from violations
