{%- set coded = {'category': 'product_category'} -%}

with staged as (
    select * from {{ ref('stg_sales__products') }}
),

standardised as (
    select
        upper(trim(product_id)) as product_id,
        trim(product_name) as product_name,
        lower(trim(category)) as category,
        list_price,
        list_price_raw,
        is_active,
        is_active_raw,
        source_file,
        ingested_at
    from staged
)

select
    standardised.*,
    {{ rejection_reason(
        [
            ['product_id is null', 'product_id missing'],
            ['product_name is null', 'product_name missing'],
            [cast_failed('list_price'), 'list_price not a decimal'],
            ['list_price < 0', 'list_price negative'],
            [cast_failed('is_active'), 'is_active not a boolean'],
        ]
        + reference_code_checks(coded)
    ) }} as rejection_reason
from {{ reference_code_joins('standardised', coded) }}
