{#- Every value of the column is a code of code_set in the reference data (seed ref_codes); null passes
    (a required code has its own not_null test). -#}
{% test known_code(model, column_name, code_set) %}
select {{ column_name }} as unknown_code
from {{ model }}
where
    {{ column_name }} is not null
    and {{ column_name }} not in (
        select reference.code
        from {{ ref('ref_codes') }} as reference
        where reference.code_set = '{{ code_set }}'
    )
{% endtest %}
