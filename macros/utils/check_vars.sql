{#- on-run-start hook: validates the vars whose bad value would otherwise surface late
    (as one failing model, after its unit tests passed with their pinned values), so the
    whole invocation stops at once with an error naming the var. -#}
{% macro check_vars() %}
    {%- if execute -%}
        {%- do date_var('as_of_date') -%}
    {%- endif -%}
    {{ return('select 1 as vars_checked') }}
{% endmacro %}
