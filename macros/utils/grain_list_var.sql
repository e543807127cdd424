{#- The value of a var that lists period grains (cohort_grains, stickiness_grains,
    lifecycle_grains): a non-empty list drawn from `allowed`, else one clear error naming
    the var. The one validation of a grain list. -#}
{% macro grain_list_var(name, default, allowed) %}
    {%- set grains = var(name, default) -%}
    {%- if grains is string or grains is not iterable or grains | length == 0
        or grains | reject('in', allowed) | list | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            name ~ " must be a non-empty list of " ~ allowed | join(', ') ~ ", got " ~ grains) }}
    {%- endif -%}
    {{ return(grains) }}
{%- endmacro %}
