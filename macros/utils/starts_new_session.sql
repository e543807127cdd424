{#- True when an event starts a new inactivity session: it is a person's first event, or
    more than `session_timeout_minutes` (default 30) after their previous one. A gap of
    exactly the timeout continues the session. The one definition of the timeout rule. -#}
{% macro starts_new_session(timestamp_column, previous_timestamp_column) %}
    {%- set timeout = var('session_timeout_minutes', 30) -%}
    {%- if timeout is not number or timeout <= 0 -%}
        {{ exceptions.raise_compiler_error(
            "session_timeout_minutes must be a positive number of minutes, got " ~ timeout) }}
    {%- endif -%}
    (
        ({{ previous_timestamp_column }}) is null
        or ({{ timestamp_column }}) > {{ dbt.dateadd('minute', timeout, '(' ~ previous_timestamp_column ~ ')') }}
    )
{%- endmacro %}
