{#- The eight value segments of DOMAIN.md section 3 from three high/low flags:
    recent (R at or below the mean), frequent (F at or above), high monetary (M at or
    above). M decides important/general; R and F decide value/development/retention/
    win-back. -#}
{% macro value_segment(is_recent, is_frequent, is_high_monetary) %}
    {%- for argument in [is_recent, is_frequent, is_high_monetary] -%}
        {%- if argument is not string or argument | trim == '' -%}
            {{ exceptions.raise_compiler_error("value_segment: each flag must be a SQL boolean expression string") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set is_recent, is_frequent, is_high_monetary = '(' ~ is_recent ~ ')', '(' ~ is_frequent ~ ')', '(' ~ is_high_monetary ~ ')' -%}
    case
        when {{ is_recent }} is null or {{ is_frequent }} is null or {{ is_high_monetary }} is null then null
        else concat(
            case when {{ is_high_monetary }} then 'important' else 'general' end,
            case
                when {{ is_recent }} and {{ is_frequent }} then ' value'
                when {{ is_recent }} then ' development'
                when {{ is_frequent }} then ' retention'
                else ' win-back'
            end
        )
    end
{% endmacro %}
