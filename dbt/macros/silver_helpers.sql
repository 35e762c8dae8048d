{#- The first failed check of a row, or null when it passes every check. checks is a list of
    [condition that flags the row, reason]. The first reason wins so that a row is counted once. -#}
{% macro rejection_reason(checks) -%}
    case
        {%- for condition, reason in checks %}
            when {{ condition }} then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}

{#- True when the text of a column was present but did not cast (staging keeps <column>_raw). -#}
{% macro cast_failed(column) -%}
    ({{ column }} is null and {{ column }}_raw is not null)
{%- endmacro %}

{#- One row per partition: the first by order_by. Portable: row_number() in a subquery, no QUALIFY. -#}
{% macro keep_first_row(relation, partition_by, order_by) -%}
    select deduplicated.*
    from (
        select
            candidates.*,
            row_number() over (partition by {{ partition_by | join(', ') }} order by {{ order_by }}) as dedup_rank
        from {{ relation }} as candidates
    ) as deduplicated
    where deduplicated.dedup_rank = 1
{%- endmacro %}
