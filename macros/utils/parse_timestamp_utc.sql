{#- Parses raw text into a UTC timestamp without time zone; NULL when unparseable or
    blank. Text with a UTC offset ('2024-03-01T10:00:00+02:00') is converted to UTC;
    text without one is taken as UTC (the profiles set the session time zone to UTC).
    Pass the raw column: the macro cleans it (clean_text) itself, so an engine can parse
    before cleaning where that is the same value and cheaper. -#}
{% macro parse_timestamp_utc(column) %}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'customer_lifecycle')(column)) }}
{% endmacro %}

{% macro default__parse_timestamp_utc(column) %}
    {{ safe_cast_to(clean_text(column), dbt.type_timestamp()) }}
{% endmacro %}

{#- The common offset-free shape is read by strptime first, from the raw text: strptime
    skips surrounding whitespace, so it gives the cleaned text's value, and trimming
    every string cost twice its parse.
    strptime is also 1.7x faster than the cast to timestamptz (which goes through ICU)
    and the same value wherever it parses; text it cannot read (offsets, fractions, 'T',
    blanks) falls through to the cast of the cleaned text. -#}
{% macro duckdb__parse_timestamp_utc(column) %}
    {%- set cleaned = clean_text(column) %}
    coalesce(
        try_strptime(cast({{ column }} as {{ dbt.type_string() }}), '%Y-%m-%d %H:%M:%S'),
        timezone('UTC', try_cast({{ cleaned }} as timestamptz))
    )
{% endmacro %}

{#- PostgreSQL reads ISO 8601 text only (it would also read 'yesterday', 'epoch' or
    'Jan 5 2024', which the other engines reject): the text must start with a date. It is
    cast to timestamptz inside lifecycle_try_cast, whose time zone is UTC (text without
    an offset is UTC on any session), then taken to UTC without a time zone. -#}
{% macro postgres__parse_timestamp_utc(column) %}
    {%- set cleaned = clean_text(column) %}
    (
        case when ({{ cleaned }}) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
            then {{ target.schema }}.lifecycle_try_cast(({{ cleaned }}), cast(null as timestamptz)) end
        at time zone 'UTC'
    )
{% endmacro %}
