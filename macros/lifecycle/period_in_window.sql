{#- True when a period number falls in a retention window. The four retention measures
    are windows over period numbers (N >= 1):
        on N          -> [N, N]       (returned on exactly day N)
        within N      -> [1, N]       (returned on any day 1..N, cumulative)
        on_or_after N -> [N, none]    (Amplitude's unbounded retention)
        bracket [a,b] -> [a, b]       (custom window)
    `window_end` none means open-ended. See `retention_window` for the mapping. -#}
{% macro period_in_window(period_column, window_start, window_end=none) %}
    {%- if window_start is not number or window_start < 0 -%}
        {{ exceptions.raise_compiler_error("period_in_window: window_start must be a whole number >= 0, got " ~ window_start) }}
    {%- endif -%}
    {%- if window_end is not none and (window_end is not number or window_end < window_start) -%}
        {{ exceptions.raise_compiler_error(
            "period_in_window: window_end must be none or a number >= window_start, got " ~ window_end) }}
    {%- endif -%}
    {%- if window_end is none -%}
        (({{ period_column }}) >= {{ window_start }})
    {%- elif window_end == window_start -%}
        (({{ period_column }}) = {{ window_start }})
    {%- else -%}
        (({{ period_column }}) between {{ window_start }} and {{ window_end }})
    {%- endif -%}
{%- endmacro %}
