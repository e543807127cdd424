{#- Every retention window the project reports, from vars `retention_days` (on day N,
    within N days, on or after day N, for each N) and `retention_brackets` ([first, last]
    pairs), validated. A list of dicts {measure, day_number, first_day, last_day};
    day_number is none for brackets, last_day none for on_or_after. -#}
{% macro configured_retention_windows() %}
    {%- set day_numbers = var('retention_days') -%}
    {%- set brackets = var('retention_brackets') -%}
    {%- if day_numbers is string or day_numbers is not iterable or day_numbers | length == 0 -%}
        {{ exceptions.raise_compiler_error("retention_days must be a non-empty list of whole numbers >= 1") }}
    {%- endif -%}
    {%- if brackets is string or brackets is not iterable -%}
        {{ exceptions.raise_compiler_error("retention_brackets must be a list of [first, last] day pairs") }}
    {%- endif -%}
    {%- set windows = [] -%}
    {%- for n in day_numbers -%}
        {%- for measure in ['on', 'within', 'on_or_after'] -%}
            {%- set window = retention_window(measure, n) -%}
            {%- do windows.append({'measure': measure, 'day_number': n,
                                   'first_day': window.start, 'last_day': window.end}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for bracket in brackets -%}
        {%- if bracket is string or bracket is not iterable or bracket | length != 2 -%}
            {{ exceptions.raise_compiler_error("retention_brackets: each bracket must be [first, last], got " ~ bracket) }}
        {%- endif -%}
        {%- set window = retention_window('bracket', bracket[0], bracket[1]) -%}
        {%- do windows.append({'measure': 'bracket', 'day_number': none,
                               'first_day': window.start, 'last_day': window.end}) -%}
    {%- endfor -%}
    {{ return(windows) }}
{%- endmacro %}
