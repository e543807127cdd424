{#- Whole-number division of two non-negative integer expressions, rounded down, as a
    bigint: `/` divides as floats on DuckDB and Spark but truncates on PostgreSQL. -#}
{% macro integer_divide(numerator, denominator) %}
    {{ return(adapter.dispatch('integer_divide', 'customer_lifecycle')(numerator, denominator)) }}
{% endmacro %}

{% macro default__integer_divide(numerator, denominator) %}
    (cast(({{ numerator }}) as bigint) / cast(({{ denominator }}) as bigint))
{% endmacro %}

{% macro duckdb__integer_divide(numerator, denominator) %}
    (cast(({{ numerator }}) as bigint) // cast(({{ denominator }}) as bigint))
{% endmacro %}

{% macro spark__integer_divide(numerator, denominator) %}
    (cast(({{ numerator }}) as bigint) div cast(({{ denominator }}) as bigint))
{% endmacro %}
