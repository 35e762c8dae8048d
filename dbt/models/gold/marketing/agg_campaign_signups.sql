{{ config(materialized='view') }}

{#- Newsletter sign-ups per campaign; sign-ups without a known campaign count as "unattributed". -#}
with signups as (
    select
        signups.signup_id,
        signups.consented_at,
        campaigns.campaign_id
    from {{ ref('int_newsletter_signups') }} as signups
    left join {{ ref('dim_campaigns') }} as campaigns
        on signups.campaign_id = campaigns.campaign_id
)

select
    coalesce(campaign_id, 'UNATTRIBUTED') as campaign_id,
    cast(count(*) as {{ dbt.type_bigint() }}) as signup_count,
    min(consented_at) as first_signup_at,
    max(consented_at) as last_signup_at
from signups
group by coalesce(campaign_id, 'UNATTRIBUTED')
