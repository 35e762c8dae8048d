with source as (
    select * from {{ source('marketing', 'campaigns') }}
),

renamed as (
    select
        campaign_id,
        campaign_name,
        channel,
        {{ cast_keeping_raw('budget', 'decimal(18, 2)') }},
        {{ cast_keeping_raw('starts_on', 'date') }},
        {{ cast_keeping_raw('ends_on', 'date') }},
        _ingested_at as ingested_at
    from source
)

select * from renamed
