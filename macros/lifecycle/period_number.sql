{#- The period number of an activity date relative to a start date: the number of whole
    calendar periods (day, week or month) between the period holding the start and the
    period holding the activity. Day 0 is the start day itself, day N is N calendar days
    later (DECISIONS.md "Day N"); weeks start on Monday; month N is the N-th calendar month
    after the start's month. The one definition of "day N" / "week N" / "month N". -#}
{% macro period_number(start_date, activity_date, grain='day') %}
    {%- if grain not in ['day', 'week', 'month'] -%}
        {{ exceptions.raise_compiler_error("period_number: grain must be 'day', 'week' or 'month', got '" ~ grain ~ "'") }}
    {%- endif -%}
    {%- set start_date, activity_date = '(' ~ start_date ~ ')', '(' ~ activity_date ~ ')' -%}
    {%- if grain == 'day' -%}
        cast({{ dbt.datediff(start_date, activity_date, 'day') }} as {{ dbt.type_int() }})
    {%- elif grain == 'week' -%}
        {#- both sides are Mondays, so the day difference is an exact multiple of 7 -#}
        cast(
            {{ dbt.datediff(dbt.date_trunc('week', start_date), dbt.date_trunc('week', activity_date), 'day') }} / 7
            as {{ dbt.type_int() }}
        )
    {%- else -%}
        cast(
            {{ dbt.datediff(dbt.date_trunc('month', start_date), dbt.date_trunc('month', activity_date), 'month') }}
            as {{ dbt.type_int() }}
        )
    {%- endif -%}
{%- endmacro %}
