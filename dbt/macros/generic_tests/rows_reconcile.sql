{#- Every row of the model (a bronze dataset) is accounted for downstream: it is either quarantined, or
    one of the source_row_count rows that an accepted (deduplicated) row stands for. Nothing is lost,
    nothing is counted twice. -#}
{% test rows_reconcile(model, accepted, quarantined, weight_column='source_row_count') %}
    select compared.bronze_rows, compared.accepted_rows, compared.quarantined_rows
    from (
        select
            (select count(*) from {{ model }} as bronze) as bronze_rows,
            (select coalesce(sum({{ weight_column }}), 0) from {{ accepted }} as accepted) as accepted_rows,
            (select count(*) from {{ quarantined }} as quarantined) as quarantined_rows
    ) as compared
    where compared.bronze_rows != compared.accepted_rows + compared.quarantined_rows
{% endtest %}
