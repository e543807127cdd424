{#- Exact median (the mean of the two middle values for an even count), as an aggregate. -#}
{% macro median(expression) %}
    {{ return(adapter.dispatch('median', 'customer_lifecycle')(expression)) }}
{% endmacro %}

{% macro default__median(expression) %}
    percentile_cont(0.5) within group (order by {{ expression }})
{% endmacro %}

{% macro duckdb__median(expression) %}
    quantile_cont({{ expression }}, 0.5)
{% endmacro %}

{% macro spark__median(expression) %}
    percentile({{ expression }}, 0.5)
{% endmacro %}
