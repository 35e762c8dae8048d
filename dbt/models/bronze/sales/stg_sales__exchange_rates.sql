with source as (
    select * from {{ source('sales', 'exchange_rates') }}
),

renamed as (
    select
        {{ cast_keeping_raw('rate_date', 'date') }},
        currency_code,
        {{ cast_keeping_raw('rate_to_eur', 'decimal(18, 8)') }},
        _ingested_at as ingested_at
    from source
)

select * from renamed
