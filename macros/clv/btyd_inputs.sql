{#- The buy-till-you-die inputs of each customer over purchase days up to a period end:
    x (repeat purchase days), t_x (days first to last purchase), T (days first purchase
    to the period end), revenue, the mean repeat purchase, and the spans in var
    `clv_time_unit`. The one definition of the inputs: int_customer_clv_inputs (to the
    as-of date) and int_customer_clv_holdout_inputs (to the calibration end) are this macro.
    `purchase_days`: a relation of customer_id, purchase_date, revenue, already limited
    to the period; `period`: a one-row relation whose `period_end_column` is the period end. -#}
{% macro btyd_inputs(purchase_days, period, period_end_column) %}
    {%- set days_per_unit = clv_days_per_time_unit() %}
    {%- set period_end = period ~ '.' ~ period_end_column %}
    select
        aggregated.customer_id,
        aggregated.first_purchase_date,
        aggregated.last_purchase_date,
        cast(aggregated.purchase_days - 1 as {{ dbt.type_int() }}) as repeat_purchase_count,
        cast(
            {{ dbt.datediff('aggregated.first_purchase_date', 'aggregated.last_purchase_date', 'day') }}
            as {{ dbt.type_int() }}
        ) as days_first_to_last_purchase,
        cast(
            {{ dbt.datediff('aggregated.first_purchase_date', period_end, 'day') }}
            as {{ dbt.type_int() }}
        ) as days_since_first_purchase,
        cast(aggregated.total_revenue as {{ type_money() }}) as total_revenue,
        cast(aggregated.repeat_revenue as {{ type_money() }}) as repeat_revenue,
        {{ divide_money('aggregated.total_revenue', 'aggregated.purchase_days') }} as avg_purchase_value,
        coalesce(
            {{ divide_money('aggregated.repeat_revenue', 'aggregated.purchase_days - 1') }},
            cast(0 as {{ type_money() }})
        ) as avg_repeat_purchase_value,
        cast('{{ var('clv_time_unit', 'week') }}' as {{ dbt.type_string() }}) as time_unit,
        cast(
            {{ dbt.datediff('aggregated.first_purchase_date', 'aggregated.last_purchase_date', 'day') }}
            as {{ type_double() }}
        ) / {{ days_per_unit }} as recency_time_units,
        cast(
            {{ dbt.datediff('aggregated.first_purchase_date', period_end, 'day') }}
            as {{ type_double() }}
        ) / {{ days_per_unit }} as age_time_units,
        {{ 365.25 / 12 }} / {{ days_per_unit }} as time_units_per_month,
        {{ period_end }}
    from (
        select
            customer_id,
            min(purchase_date) as first_purchase_date,
            max(purchase_date) as last_purchase_date,
            count(*) as purchase_days,
            sum(revenue) as total_revenue,
            sum(case when not is_first_purchase then revenue else 0 end) as repeat_revenue
        from (
            select
                customer_id,
                purchase_date,
                revenue,
                purchase_date = min(purchase_date) over (partition by customer_id) as is_first_purchase
            from {{ purchase_days }}
        ) as ranked
        group by customer_id
    ) as aggregated
    cross join {{ period }}
{%- endmacro %}
