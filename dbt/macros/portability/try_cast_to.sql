{#- Casts text to a type, giving null instead of failing on values such as "12,5" or "not-a-date".
    Bronze data is dirty by nature: a bad value must reach quarantine, not stop the run. -#}
{% macro try_cast_to(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast_to', 'lakehouse')(expression, data_type)) }}
{%- endmacro %}

{% macro default__try_cast_to(expression, data_type) -%}
    {{ dbt.safe_cast(expression, data_type) }}
{%- endmacro %}

{% macro duckdb__try_cast_to(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro spark__try_cast_to(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro databricks__try_cast_to(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
