with staged as (
    select * from {{ ref('stg_marketing__newsletter_signups') }}
)

select
    upper(trim(signup_id)) as signup_id,
    lower(trim(email)) as email,
    upper(trim(campaign_id)) as campaign_id,
    consented_at,
    consented_at_raw,
    source_file,
    ingested_at,
    {{ rejection_reason([
        ['signup_id is null', 'signup_id missing'],
        ['email is null', 'email missing'],
        ['consented_at is null', 'consented_at missing or not a timestamp'],
    ]) }} as rejection_reason
from staged
