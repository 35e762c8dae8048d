{#- The post-hook of every model: gives the relation dbt just built exactly the Unity Catalog grants the
    platform definition plans for it (platform_model_grants, generated from the definition and the
    model's lineage), through dbt's own apply_grants (show grants, revoke what is held beyond the plan,
    grant what is missing). Only in the governed layer schemas (var schema_per_layer, which the
    scheduled Databricks job sets); development and CI schemas keep their warehouse's defaults. A model
    without planned grants fails the run rather than stay readable by whoever the schema lets in. -#}
{% macro apply_platform_grants() %}
    {%- if execute and var('schema_per_layer', false) -%}
        {%- set planned = platform_model_grants() -%}
        {%- if model.name not in planned -%}
            {{ exceptions.raise_compiler_error(
                "model " ~ model.name ~ " has no planned grants in macros/access/platform_model_grants.sql; "
                ~ "regenerate it with: npm run dbt:sources"
            ) }}
        {%- endif -%}
        {%- do apply_grants(this, planned[model.name]['grants'], should_revoke=true) -%}
    {%- endif -%}
{% endmacro %}
