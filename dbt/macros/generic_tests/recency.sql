{#- The newest value of field must be within interval datepart of the run's as_of instant. -#}
{% test recency(model, field, datepart, interval) %}
    select newest
    from (
        select max({{ field }}) as newest
        from {{ model }}
    ) as latest
    where
        newest is null
        or newest < {{ dbt.dateadd(datepart, -1 * interval, as_of_timestamp()) }}
{% endtest %}
