{% test equal_row_count(model, compare_model) %}
    select compared.left_rows, compared.right_rows
    from (
        select
            (select count(*) from {{ model }} as model_rows) as left_rows,
            (select count(*) from {{ compare_model }} as compared_rows) as right_rows
    ) as compared
    where compared.left_rows != compared.right_rows
{% endtest %}
