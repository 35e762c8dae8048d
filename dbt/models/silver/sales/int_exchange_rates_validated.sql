{%- set coded = {'currency_code': 'currency'} -%}

with staged as (
    select * from {{ ref('stg_sales__exchange_rates') }}
),

standardised as (
    select
        rate_date,
        rate_date_raw,
        upper(trim(currency_code)) as currency_code,
        rate_to_eur,
        rate_to_eur_raw,
        ingested_at
    from staged
)

select
    standardised.*,
    {{ rejection_reason(
        [
            ['rate_date is null', 'rate_date missing or not a date'],
            ['currency_code is null', 'currency_code missing'],
        ]
        + reference_code_checks(coded)
        + [
            ['rate_to_eur is null', 'rate_to_eur missing or not a decimal'],
            ['rate_to_eur <= 0', 'rate_to_eur not positive'],
        ]
    ) }} as rejection_reason
from {{ reference_code_joins('standardised', coded) }}
