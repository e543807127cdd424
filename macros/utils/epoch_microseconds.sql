{#- Whole microseconds since 1970-01-01 UTC as a bigint. Durations are differences of
    these: exact integers, so sums and means do not depend on row order, and sub-second
    gaps are not rounded the way datediff('second') rounds on some engines. -#}
{% macro epoch_microseconds(timestamp_expression) %}
    {{ return(adapter.dispatch('epoch_microseconds', 'customer_lifecycle')(timestamp_expression)) }}
{% endmacro %}

{% macro default__epoch_microseconds(timestamp_expression) %}
    cast(extract(epoch from {{ timestamp_expression }}) * 1000000 as bigint)
{% endmacro %}

{% macro duckdb__epoch_microseconds(timestamp_expression) %}
    epoch_us({{ timestamp_expression }})
{% endmacro %}

{% macro spark__epoch_microseconds(timestamp_expression) %}
    unix_micros({{ timestamp_expression }})
{% endmacro %}
