{#- Normalises the spellings that file exports use for booleans; anything else is null. -#}
{% macro boolean_from_text(expression) -%}
    case
        when lower(trim({{ expression }})) in ('true', 't', 'yes', 'y', '1') then true
        when lower(trim({{ expression }})) in ('false', 'f', 'no', 'n', '0') then false
    end
{%- endmacro %}
