with source as (
    select * from {{ source('sales', 'products') }}
),

renamed as (
    select
        product_id,
        product_name,
        category,
        {{ cast_keeping_raw('list_price', 'decimal(18, 2)') }},
        {{ boolean_from_text('is_active') }} as is_active,
        is_active as is_active_raw,
        _source_file as source_file,
        _ingested_at as ingested_at
    from source
)

select * from renamed
