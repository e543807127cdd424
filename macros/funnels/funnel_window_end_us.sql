{#- The end of a funnel attempt's conversion window, inclusive, in epoch microseconds: the
    attempt's start plus the funnel's window. `funnel` names a relation with the columns of
    int_funnel_steps (conversion_window, conversion_window_unit,
    conversion_window_microseconds). Minutes, hours, days and weeks have a fixed length
    (timestamps are UTC); a month is a calendar month from the start, clamped to the
    month's end. The one definition of the window, used by the funnel engine and the
    trend marts' completeness flag (funnel_period_is_complete). -#}
{% macro funnel_window_end_us(start_timestamp, funnel) -%}
    (case
        when {{ funnel }}.conversion_window_unit = 'month'
            then {{ epoch_microseconds(add_months_to_timestamp(start_timestamp, funnel ~ '.conversion_window')) }}
        else {{ epoch_microseconds('(' ~ start_timestamp ~ ')') }} + {{ funnel }}.conversion_window_microseconds
    end)
{%- endmacro %}
