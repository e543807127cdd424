{#- Exact continuous percentile as an aggregate: linear interpolation between the two
    nearest values (pandas' and numpy's default, PostgreSQL's percentile_cont). `fraction`
    is a number from 0 to 1 written into the SQL as a literal. -#}
{% macro exact_percentile(expression, fraction) %}
    {%- if fraction is not number or fraction < 0 or fraction > 1 -%}
        {{ exceptions.raise_compiler_error("exact_percentile: fraction must be a number from 0 to 1") }}
    {%- endif -%}
    {{ return(adapter.dispatch('exact_percentile', 'customer_lifecycle')(expression, fraction)) }}
{% endmacro %}

{% macro default__exact_percentile(expression, fraction) %}
    percentile_cont({{ fraction }}) within group (order by ({{ expression }}))
{% endmacro %}

{% macro duckdb__exact_percentile(expression, fraction) %}
    quantile_cont(({{ expression }}), {{ fraction }})
{% endmacro %}

{% macro spark__exact_percentile(expression, fraction) %}
    percentile(({{ expression }}), {{ fraction }})
{% endmacro %}

{#- Exact median (the mean of the two middle values for an even count), as an aggregate. -#}
{% macro median(expression) %}
    {{ return(exact_percentile(expression, 0.5)) }}
{% endmacro %}
