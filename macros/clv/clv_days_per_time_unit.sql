{#- Days in one BG/NBD time unit (var `clv_time_unit`): day 1, week 7, month 365.25 / 12.
    The one place the time unit is turned into days; the Python models read the
    converted columns of int_customer_clv_inputs and never convert themselves. -#}
{% macro clv_days_per_time_unit() %}
    {%- set days = {'day': 1, 'week': 7, 'month': 365.25 / 12} -%}
    {%- set unit = var('clv_time_unit', 'week') -%}
    {%- if unit not in days -%}
        {{ exceptions.raise_compiler_error("clv_time_unit must be day, week or month, got '" ~ unit ~ "'") }}
    {%- endif -%}
    {{ return(days[unit]) }}
{%- endmacro %}
