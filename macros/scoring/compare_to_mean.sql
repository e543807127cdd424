{#- True when a measure is at or above (`at_or_above`) or at or below (`at_or_below`) the
    mean of its `partition_by` group. Compared exactly as value * count vs sum, so a
    value equal to the mean is never lost to floating point. NULL measures give NULL. -#}
{% macro compare_to_mean(measure, direction='at_or_above', partition_by=none) %}
    {%- if measure is not string or measure | trim == '' -%}
        {{ exceptions.raise_compiler_error("compare_to_mean: measure must be a SQL expression string") }}
    {%- endif -%}
    {%- if direction not in ['at_or_above', 'at_or_below'] -%}
        {{ exceptions.raise_compiler_error(
            "compare_to_mean: direction must be 'at_or_above' or 'at_or_below', got '" ~ direction ~ "'") }}
    {%- endif -%}
    {%- set measure = '(' ~ measure ~ ')' -%}
    {%- set partition = 'partition by ' ~ partition_by if partition_by else '' -%}
    {%- set operator = '>=' if direction == 'at_or_above' else '<=' -%}
    (
        {{ measure }} * count({{ measure }}) over ({{ partition }})
        {{ operator }} sum({{ measure }}) over ({{ partition }})
    )
{% endmacro %}
