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
