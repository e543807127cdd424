{#- True when a count of qualifying events in a period reaches the intensity threshold
    (var `activity_min_count`, default 1). The one definition of "active in a period". -#}
{% macro meets_activity_threshold(count_column) %}
    {%- set minimum = var('activity_min_count', 1) -%}
    {%- if minimum is not number or minimum < 1 or minimum != minimum | int -%}
        {{ exceptions.raise_compiler_error("activity_min_count must be a whole number >= 1, got " ~ minimum) }}
    {%- endif -%}
    (coalesce(({{ count_column }}), 0) >= {{ minimum | int }})
{%- endmacro %}
