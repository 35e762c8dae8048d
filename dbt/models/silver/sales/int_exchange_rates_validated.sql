with staged as (
    select * from {{ ref('stg_sales__exchange_rates') }}
)

select
    rate_date,
    rate_date_raw,
    upper(trim(currency_code)) as currency_code,
    rate_to_eur,
    rate_to_eur_raw,
    ingested_at,
    {{ rejection_reason([
        ['rate_date is null', 'rate_date missing or not a date'],
        ['currency_code is null or ' ~ dbt.length('trim(currency_code)') ~ ' != 3', 'currency_code not an ISO code'],
        ['rate_to_eur is null', 'rate_to_eur missing or not a decimal'],
        ['rate_to_eur <= 0', 'rate_to_eur not positive'],
    ]) }} as rejection_reason
from staged
