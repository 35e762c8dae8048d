{{ config(materialized='table') }}

{#- One rate per currency and day, each valid until the next published rate: the feed skips weekends
    and holidays, and an amount is converted at the latest rate published on or before its date. -#}
with rates as (
    {{ accepted_deduplicated(
        ref('int_exchange_rates_validated'),
        ['rate_date', 'currency_code'],
        ['rate_date', 'currency_code', 'rate_to_eur', 'ingested_at'],
        order_by='ingested_at desc',
    ) }}
)

select
    rate_date,
    currency_code,
    rate_to_eur,
    rate_date as valid_from,
    lead(rate_date) over (partition by currency_code order by rate_date) as valid_until,
    ingested_at,
    source_row_count
from rates
