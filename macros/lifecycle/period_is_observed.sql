{#- True when period `period_number` after the period holding `start_date` has fully
    passed by the end of `as_of_date` (the as-of day is inclusive): the period's last day
    is on or before the as-of date. A cell that is not observed yet can still change. -#}
{% macro period_is_observed(start_date, period_number, as_of_date, grain='day') %}
    {%- if grain not in ['day', 'week', 'month'] -%}
        {{ exceptions.raise_compiler_error(
            "period_is_observed: grain must be 'day', 'week' or 'month', got '" ~ grain ~ "'") }}
    {%- endif -%}
    {%- set start_date = '(' ~ start_date ~ ')' -%}
    {%- set period_start = start_date if grain == 'day' else dbt.date_trunc(grain, start_date) -%}
    {#- the whole interval in parentheses: dbt-spark's dateadd multiplies it by 7 for
        weeks without them, so 'n + 1' became n + 7 days (caught by make test-spark) -#}
    {%- set next_period_start = dbt.dateadd(grain, '((' ~ period_number ~ ') + 1)', period_start) -%}
    (cast({{ dbt.dateadd('day', -1, next_period_start) }} as date) <= ({{ as_of_date }}))
{%- endmacro %}
