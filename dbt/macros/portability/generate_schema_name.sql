{#- dbt's default (<target schema>_<custom schema>), spelled out so that every developer and CI run keeps
    its own schemas on a shared warehouse, and the landing schema of the seeds is predictable. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
