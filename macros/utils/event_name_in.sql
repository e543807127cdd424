{#- `column in ('a', 'b')` for a list of event names taken from a var; validates the list
    so a typo in --vars fails at compile time with the var's name. -#}
{% macro event_name_in(column, event_names, setting_name='event_names') %}
    {%- if event_names is string or event_names is not iterable or event_names | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            setting_name ~ " must be a non-empty list of event names, got " ~ event_names) }}
    {%- endif -%}
    {%- set quoted = [] -%}
    {%- for name in event_names -%}
        {%- if name is not string or name | trim == '' -%}
            {{ exceptions.raise_compiler_error(setting_name ~ ": every event name must be a non-empty string") }}
        {%- endif -%}
        {%- do quoted.append(sql_string_literal(name)) -%}
    {%- endfor -%}
    (({{ column }}) in ({{ quoted | join(', ') }}))
{%- endmacro %}
