{#- A timestamp moved by a whole number of calendar months, the time of day kept and the
    day clamped to the month's end (31 January + 1 month = 28 or 29 February), on every
    engine. dbt.dateadd('month') returns a date on Spark, so it cannot serve here. -#}
{% macro add_months_to_timestamp(timestamp_expression, months_expression) %}
    {{ return(adapter.dispatch('add_months_to_timestamp', 'customer_lifecycle')(timestamp_expression, months_expression)) }}
{% endmacro %}

{% macro default__add_months_to_timestamp(timestamp_expression, months_expression) %}
    (({{ timestamp_expression }}) + ({{ months_expression }}) * interval '1 month')
{% endmacro %}

{% macro spark__add_months_to_timestamp(timestamp_expression, months_expression) %}
    timestampadd(MONTH, ({{ months_expression }}), ({{ timestamp_expression }}))
{% endmacro %}
