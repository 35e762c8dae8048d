{#- Source freshness measured against as_of_timestamp() instead of the wall clock. Identical to dbt's
    own macro when no as_of is set (the cloud targets); on the sample-data targets the committed CSVs
    then read as fresh or stale exactly as the live feeds they imitate would. -#}
{% macro default__collect_freshness(source, loaded_at_field, filter) %}
    {% call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
        select
            max({{ loaded_at_field }}) as max_loaded_at,
            {{ as_of_timestamp() }} as snapshotted_at
        from {{ source }}
        {% if filter %}
            where {{ filter }}
        {% endif %}
    {%- endcall %}
    {{ return(load_result('collect_freshness')) }}
{% endmacro %}
