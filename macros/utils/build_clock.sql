{#- The build's clock as a UTC timestamp: rows stamped later than this are
    `future_timestamp` rejects (later than as_of_date alone is valid). -#}
{% macro build_clock() %}
    {{ return(adapter.dispatch('build_clock', 'customer_lifecycle')()) }}
{% endmacro %}

{% macro default__build_clock() %}
    {{ dbt.current_timestamp() }}
{% endmacro %}

{% macro duckdb__build_clock() %}
    timezone('UTC', now())
{% endmacro %}

{% macro postgres__build_clock() %}
    (now() at time zone 'UTC')
{% endmacro %}
