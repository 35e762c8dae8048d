{#- Accepted product rows, one per product and export: a row repeated within an export collapses. -#}
{{ accepted_deduplicated(
    ref('int_products_validated'),
    ['product_id', 'ingested_at'],
    ['product_id', 'product_name', 'category', 'list_price', 'is_active', 'source_file', 'ingested_at'],
    order_by='source_file',
) }}
