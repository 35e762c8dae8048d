select
    campaign_id,
    campaign_name,
    channel,
    budget,
    starts_on,
    ends_on,
    cast(
        {{ dbt.datediff('starts_on', 'ends_on', 'day') }} + 1
        as {{ dbt.type_int() }}
    ) as duration_days
from {{ ref('int_campaigns') }}
