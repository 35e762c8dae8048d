{#- The typed column, plus its text as landed (<column>_raw), so that silver can tell a value that was
    missing from one that did not cast, and quarantine the row with the right reason. -#}
{% macro cast_keeping_raw(column, data_type) -%}
    {{ lakehouse.try_cast_to(column, data_type) }} as {{ column }},
    {{ column }} as {{ column }}_raw
{%- endmacro %}
