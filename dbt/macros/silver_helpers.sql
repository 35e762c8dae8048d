{#- The first failed check of a row, or null when it passes every check. checks is a list of
    [condition that flags the row, reason]; the first reason wins so that a row is counted once. -#}
{% macro rejection_reason(checks) -%}
    case
        {%- for condition, reason in checks %}
            when {{ condition }} then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}

{#- The checks every CDC change event must pass, whatever its table: a sequence, a known operation, a change time. -#}
{% macro cdc_envelope_checks() -%}
    {{ return([
        ['change_seq is null', 'change sequence missing'],
        ["cdc_operation is null or cdc_operation not in ('insert', 'update', 'delete')", 'unknown CDC operation'],
        ['updated_at is null', 'updated_at missing or not a timestamp'],
    ]) }}
{%- endmacro %}

{#- A present value that did not cast (staging keeps the landed text as <column>_raw). -#}
{% macro cast_failed(column) -%}
    ({{ column }} is null and {{ column }}_raw is not null)
{%- endmacro %}

{#- The rows of a validated model that failed a check, with the reason, kept for inspection and replay. -#}
{% macro quarantined_rows(validated) -%}
    select
        validated.*,
        {{ as_of_timestamp() }} as quarantined_at
    from {{ validated }} as validated
    where validated.rejection_reason is not null
{%- endmacro %}

{#- The rows of a validated model that passed every check, one per key: the first ingested copy wins.
    source_row_count says how many bronze rows the kept row stands for, so that the reconciliation test
    can prove that every bronze row is either here or in quarantine. -#}
{% macro accepted_deduplicated(validated, key_columns, columns, order_by='ingested_at') -%}
    select
        {{ columns | join(',\n        ') }},
        source_row_count
    from (
        select
            {{ columns | join(',\n            ') }},
            count(*) over (partition by {{ key_columns | join(', ') }}) as source_row_count,
            row_number() over (partition by {{ key_columns | join(', ') }} order by {{ order_by }}) as dedup_rank
        from {{ validated }}
        where rejection_reason is null
    ) as ranked
    where dedup_rank = 1
{%- endmacro %}

{#- The current state of each key from its change events: the change with the highest sequence wins,
    whatever the order of arrival, so a late event never overwrites a newer one. Deletes stay as
    tombstones (is_deleted), which merge and delete+insert can apply on every adapter. On an
    incremental run only keys with new changes are recomputed, against their stored state; changes are
    new when ingested at most cdc_lookback_hours before the latest stored one, or at any time when the
    target is empty. -#}
{% macro cdc_current_state(changes, key_columns, columns) -%}
    {%- set keys = key_columns | join(', ') -%}
    with new_changes as (
        select
            {{ columns | join(',\n            ') }},
            change_seq,
            cdc_operation,
            ingested_at
        from {{ changes }}
        {#- An empty target has no max(ingested_at): with no stored state every change passes
            (a null bound would let none through, and the model would stay empty for ever). -#}
        {%- if is_incremental() %}
            where ingested_at >= (
                select
                    coalesce(
                        {{ dbt.dateadd('hour', -1 * var('cdc_lookback_hours'), 'max(ingested_at)') }},
                        cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})
                    )
                from {{ this }}
            )
        {%- endif %}
    ),

    candidates as (
        select * from new_changes
        {%- if is_incremental() %}
            union all
            select
                {%- for column in columns %}
                    stored.{{ column }},
                {%- endfor %}
                stored.change_seq,
                stored.cdc_operation,
                stored.ingested_at
            from {{ this }} as stored
            inner join (select distinct {{ keys }} from new_changes) as touched
                on
                {%- for key in key_columns %}
                    {{ 'and ' if not loop.first }}stored.{{ key }} = touched.{{ key }}
                {%- endfor %}
        {%- endif %}
    ),

    ranked as (
        select
            candidates.*,
            row_number() over (partition by {{ keys }} order by change_seq desc) as change_rank
        from candidates
    )

    select
        {{ columns | join(',\n        ') }},
        change_seq,
        cdc_operation,
        ingested_at,
        cdc_operation = 'delete' as is_deleted
    from ranked
    where change_rank = 1
{%- endmacro %}

{#- Coded values (currencies, countries, statuses, segments, categories, channels, event types) follow one
    rule: a code is valid when the reference data has it (seed ref_codes: code_set, code).
    reference_code_joins(relation, coded_columns) is the from clause of a validated model: the relation
    with one left join to its code set per coded column ({column: code_set}); ref_codes is unique on
    (code_set, code), so no row is lost or repeated and bronze still reconciles.
    reference_code_checks(coded_columns, applies_when) are the matching checks for rejection_reason: a
    present value that its code set lacks is '<column> not in reference <code_set>' (a missing value is
    the model's own rule, as not every coded column is required). -#}
{% macro reference_code_joins(relation, coded_columns) -%}
    {{ relation }}
    {%- for column, code_set in coded_columns.items() %}
    left join {{ ref('ref_codes') }} as known_{{ column }}
        on
            known_{{ column }}.code_set = '{{ code_set }}'
            and {{ relation }}.{{ column }} = known_{{ column }}.code
    {%- endfor %}
{%- endmacro %}

{% macro reference_code_checks(coded_columns, applies_when=none) -%}
    {%- set checks = [] -%}
    {%- for column, code_set in coded_columns.items() -%}
        {%- set condition = (applies_when ~ ' and ' if applies_when else '') ~ column ~ ' is not null and known_' ~ column ~ '.code is null' -%}
        {%- do checks.append([condition, column ~ ' not in reference ' ~ code_set]) -%}
    {%- endfor -%}
    {{ return(checks) }}
{%- endmacro %}
