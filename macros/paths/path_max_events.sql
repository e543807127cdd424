{#- The var path_max_events (default 5): how many events a path holds, before its goal
    (event_paths) or after its start (event_paths_from_start, funnel_dropoff_paths).
    Validated here, the one place that reads it: a whole number from 1 to 20. -#}
{% macro path_max_events() %}
    {%- set depth = var('path_max_events', 5) -%}
    {%- if depth is not number or depth is sameas true or depth is sameas false
        or depth != (depth | int) or depth < 1 or depth > 20 -%}
        {{ exceptions.raise_compiler_error("path_max_events must be a whole number from 1 to 20, got " ~ depth) }}
    {%- endif -%}
    {{ return(depth | int) }}
{% endmacro %}
