{#- The treasury's daily reference rates to EUR, the rates the facts convert order amounts with, for
    reporting in any currency. One row per currency and publication day; a rate holds from valid_from
    until valid_until (exclusive; null for the latest), as the feed skips weekends and holidays. -#}
select
    rate_date,
    currency_code,
    rate_to_eur,
    valid_from,
    valid_until
from {{ ref('int_exchange_rates') }}
