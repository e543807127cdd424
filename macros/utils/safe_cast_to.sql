{#- Casts, returning NULL where the value does not convert. dbt's own `safe_cast` is a
    plain (failing) cast on dbt-duckdb, so this project uses its own. -#}
{% macro safe_cast_to(expression, data_type) %}
    {{ return(adapter.dispatch('safe_cast_to', 'customer_lifecycle')(expression, data_type)) }}
{% endmacro %}

{% macro default__safe_cast_to(expression, data_type) %}
    {{ dbt.safe_cast(expression, data_type) }}
{% endmacro %}

{% macro duckdb__safe_cast_to(expression, data_type) %}
    try_cast({{ expression }} as {{ data_type }})
{% endmacro %}

{% macro spark__safe_cast_to(expression, data_type) %}
    try_cast({{ expression }} as {{ data_type }})
{% endmacro %}

{#- PostgreSQL has no try_cast: lifecycle_try_cast (created by the on-run-start hook
    engine_functions) assigns the text to the type in PL/pgSQL and returns NULL where
    that raises. Text with no digit is NULL first ('NaN' and 'Infinity' are numbers to
    PostgreSQL, not to the other engines). -#}
{% macro postgres__safe_cast_to(expression, data_type) %}
    cast(
        case when ({{ expression }}) ~ '[0-9]'
            then {{ target.schema }}.lifecycle_try_cast(({{ expression }}), cast(null as {{ data_type }})) end
        as {{ data_type }}
    )
{% endmacro %}
