{#- Fails on every row where the expression is false (nulls count as false only when stated). -#}
{% test expression_is_true(model, expression, column_name=none) %}
    select *
    from {{ model }}
    where not ({{ column_name ~ ' ' if column_name else '' }}{{ expression }})
{% endtest %}
