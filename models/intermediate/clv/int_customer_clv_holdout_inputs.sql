-- One row per customer whose first purchase day is on or before `clv_calibration_end_date`:
-- the buy-till-you-die inputs of the calibration period (purchase days up to and
-- including that day) and the purchase days of the holdout period that follows it, up to
-- and including the as-of date. No rows when the var is unset (no holdout).
{%- set calibration_end = date_var('clv_calibration_end_date') %}
{%- set calibration_end_expression = "cast('" ~ calibration_end ~ "' as date)" if calibration_end is not none
    else "cast(null as date)" %}
{%- set days_per_unit = clv_days_per_time_unit() %}
with purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

calibration_period as (

    select {{ calibration_end_expression }} as calibration_end_date
    from as_of
    {%- if calibration_end is none %}
    where 1 = 0
    {%- endif %}

),

calibration_purchase_days as (

    select purchase_days.*
    from purchase_days
    cross join calibration_period
    where purchase_days.purchase_date <= calibration_period.calibration_end_date

),

holdout_purchase_days as (

    select
        purchase_days.customer_id,
        count(*) as holdout_purchase_count
    from purchase_days
    cross join calibration_period
    where purchase_days.purchase_date > calibration_period.calibration_end_date
    group by purchase_days.customer_id

),

calibration as (

    {{ btyd_inputs('calibration_purchase_days', 'calibration_period', 'calibration_end_date') }}

),

final as (

    select
        calibration.*,
        as_of.as_of_date as holdout_end_date,
        cast(coalesce(holdout_purchase_days.holdout_purchase_count, 0) as {{ dbt.type_int() }})
            as holdout_purchase_count,
        cast(
            {{ dbt.datediff('calibration.calibration_end_date', 'as_of.as_of_date', 'day') }}
            as {{ type_double() }}
        ) / {{ days_per_unit }} as holdout_time_units,
        -- the customer's time from the first purchase to the holdout end: the span of the
        -- cumulative (unconditional) forecast the BG/NBD paper plots
        cast(
            {{ dbt.datediff('calibration.first_purchase_date', 'as_of.as_of_date', 'day') }}
            as {{ type_double() }}
        ) / {{ days_per_unit }} as age_at_holdout_end_time_units
    from calibration
    cross join as_of
    left join holdout_purchase_days
        on calibration.customer_id = holdout_purchase_days.customer_id

)

select * from final
