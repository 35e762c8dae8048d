with source as (
    select * from {{ source('marketing', 'newsletter_signups') }}
),

renamed as (
    select
        signup_id,
        email,
        campaign_id,
        {{ cast_keeping_raw('consented_at', dbt.type_timestamp()) }},
        _source_file as source_file,
        _ingested_at as ingested_at
    from source
)

select * from renamed
