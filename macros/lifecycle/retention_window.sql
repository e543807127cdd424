{#- The [start, end] period window of a retention measure (see `period_in_window`):
    returns a dict {start, end}; end is none for `on_or_after`. -#}
{% macro retention_window(measure, n, bracket_end=none) %}
    {%- if n is not number or n < 1 or n != n | int -%}
        {{ exceptions.raise_compiler_error("retention_window: N must be a whole number >= 1, got " ~ n) }}
    {%- endif -%}
    {%- if measure == 'on' -%}
        {{ return({'start': n, 'end': n}) }}
    {%- elif measure == 'within' -%}
        {{ return({'start': 1, 'end': n}) }}
    {%- elif measure == 'on_or_after' -%}
        {{ return({'start': n, 'end': none}) }}
    {%- elif measure == 'bracket' -%}
        {%- if bracket_end is not number or bracket_end < n -%}
            {{ exceptions.raise_compiler_error(
                "retention_window: a bracket needs an end >= its start, got [" ~ n ~ ", " ~ bracket_end ~ "]") }}
        {%- endif -%}
        {{ return({'start': n, 'end': bracket_end}) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "retention_window: measure must be on, within, on_or_after or bracket, got '" ~ measure ~ "'") }}
    {%- endif -%}
{%- endmacro %}
