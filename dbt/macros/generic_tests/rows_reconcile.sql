{#- Every row of the model is accounted for by exactly one of the parts (e.g. the bronze rows of a
    dataset = its accepted rows + its quarantined rows). Nothing is lost and nothing is double-counted. -#}
{% test rows_reconcile(model, parts) %}
    select compared.model_rows, compared.part_rows
    from (
        select
            (select count(*) from {{ model }}) as model_rows,
            (
                0
                {%- for part in parts %}
                    + (select count(*) from {{ part }})
                {%- endfor %}
            ) as part_rows
    ) as compared
    where compared.model_rows != compared.part_rows
{% endtest %}
