{#- The value of a var that lists choices drawn from `allowed` (cohort_grains,
    stickiness_grains, lifecycle_grains, retention_breakdowns): a list of distinct allowed
    values, non-empty unless `allow_empty`, else one clear error naming the var. The one
    validation of a choice list. -#}
{% macro choice_list_var(name, default, allowed, allow_empty=false) %}
    {%- set choices = var(name, default) -%}
    {%- if choices is string or choices is not iterable or choices is mapping
        or (choices | length == 0 and not allow_empty)
        or choices | reject('in', allowed) | list | length > 0
        or choices | unique | list | length != choices | length -%}
        {{ exceptions.raise_compiler_error(
            name ~ " must be a list of distinct values from " ~ allowed | join(', ')
            ~ (" (or an empty list)" if allow_empty else "") ~ ", got " ~ choices) }}
    {%- endif -%}
    {{ return(choices) }}
{%- endmacro %}
