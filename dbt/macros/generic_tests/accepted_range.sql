{#- Null values pass; pair with not_null where a value is required. cast_as casts the column first
    (text landing tables), with values that do not cast passing here and failing their own test. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true, cast_as=none) %}
    {%- set low = '>=' if inclusive else '>' -%}
    {%- set high = '<=' if inclusive else '<' -%}
    {%- set value = lakehouse.try_cast_to(column_name, cast_as) if cast_as else column_name -%}
    select *
    from {{ model }}
    where
        {{ value }} is not null
        and not (
            1 = 1
            {%- if min_value is not none %} and {{ value }} {{ low }} {{ min_value }}{% endif %}
            {%- if max_value is not none %} and {{ value }} {{ high }} {{ max_value }}{% endif %}
        )
{% endtest %}
