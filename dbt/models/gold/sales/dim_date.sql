with days as (
    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('date_spine_start') ~ "' as date)",
        "cast('" ~ var('date_spine_end') ~ "' as date)",
    ) }}
)

select
    cast(date_day as date) as date_day,
    cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start,
    cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
    cast(extract(year from date_day) as {{ dbt.type_int() }}) as year_number,
    cast(extract(quarter from date_day) as {{ dbt.type_int() }}) as quarter_number,
    cast(extract(month from date_day) as {{ dbt.type_int() }}) as month_number
from days
