{#- Parses text into a UTC timestamp without time zone; NULL when unparseable.
    Text with a UTC offset ('2024-03-01T10:00:00+02:00') is converted to UTC; text
    without one is taken as UTC (the profiles set the session time zone to UTC). -#}
{% macro parse_timestamp_utc(expression) %}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'customer_lifecycle')(expression)) }}
{% endmacro %}

{% macro default__parse_timestamp_utc(expression) %}
    {{ safe_cast_to(expression, dbt.type_timestamp()) }}
{% endmacro %}

{#- The common offset-free shape is read by strptime first: 1.7x faster than the cast to
    timestamptz (which goes through ICU), and the same value wherever it parses; text it
    cannot read (offsets, fractions, 'T') falls through to the cast. The expression is
    repeated, so pass a column or a cheap expression. -#}
{% macro duckdb__parse_timestamp_utc(expression) %}
    coalesce(
        try_strptime({{ expression }}, '%Y-%m-%d %H:%M:%S'),
        timezone('UTC', try_cast({{ expression }} as timestamptz))
    )
{% endmacro %}
