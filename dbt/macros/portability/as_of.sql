{#- "Now" for a run. A fixed instant (var as_of, or the capture time of the committed sample data on the
    local and bench targets) keeps freshness, recency and time-window features reproducible; elsewhere it
    is the warehouse clock. -#}
{% macro as_of_literal() -%}
    {%- if var('as_of', '') -%}
        {{ return(var('as_of')) }}
    {%- elif target.name in var('sample_data_targets', []) -%}
        {{ return(var('sample_data_as_of')) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{% macro as_of_timestamp() -%}
    {%- set literal = as_of_literal() -%}
    {%- if literal -%}
        cast('{{ literal }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        {{ dbt.current_timestamp() }}
    {%- endif -%}
{%- endmacro %}

{% macro as_of_date() -%}
    cast({{ as_of_timestamp() }} as date)
{%- endmacro %}
