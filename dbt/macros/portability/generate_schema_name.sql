{#- dbt's default (<target schema>_<custom schema>), spelled out so that every developer and CI run keeps
    its own schemas on a shared warehouse, and the landing schema of the seeds is predictable.
    The scheduled Databricks job sets var schema_per_layer: its models go to the catalog's governed
    layer schemas (bronze, silver, gold): Terraform grants the schemas, and each model gets its own
    grants from the platform definition (apply_platform_grants). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif var('schema_per_layer', false) -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
