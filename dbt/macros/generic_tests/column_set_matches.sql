{#- The model has exactly the columns of compare_model (case-insensitive): guards a layer against a
    column silently dropped or added on the way through. -#}
{% test column_set_matches(model, compare_model, exclude=[]) %}
    {%- set excluded = exclude | map('lower') | list -%}
    {%- if execute -%}
        {%- set left = adapter.get_columns_in_relation(model) | map(attribute='name') | map('lower') | reject('in', excluded) | list -%}
        {%- set right = adapter.get_columns_in_relation(compare_model) | map(attribute='name') | map('lower') | reject('in', excluded) | list -%}
    {%- else -%}
        {%- set left = [] -%}
        {%- set right = [] -%}
    {%- endif -%}
    {%- set missing = right | reject('in', left) | list -%}
    {%- set extra = left | reject('in', right) | list -%}
    select problem
    from (
        {%- for name in missing %}
            select 'missing {{ name }}' as problem union all
        {%- endfor %}
        {%- for name in extra %}
            select 'unexpected {{ name }}' as problem union all
        {%- endfor %}
        select null as problem
    ) as problems
    where problem is not null
{% endtest %}
