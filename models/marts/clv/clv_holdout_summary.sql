-- One row per transaction model when `clv_calibration_end_date` sets a holdout: how well
-- the model fitted on the calibration period forecasts the holdout (total predicted vs
-- actual purchase days, mean absolute error per customer) and the cumulative repeat
-- purchases from the first purchase to the holdout end (the BG/NBD paper's tracking
-- figure). Empty without a holdout. The calibration fits' log-likelihoods are in
-- clv_model_parameters (`fit_period` calibration).
with customers as (

    select * from {{ ref('clv_holdout_customers') }}

),

aggregated as (

    select
        model_name,
        min(calibration_end_date) as calibration_end_date,
        min(holdout_end_date) as holdout_end_date,
        min(holdout_time_units) as holdout_time_units,
        min(time_unit) as time_unit,
        count(*) as customers,
        sum(calibration_repeat_purchase_count) as calibration_repeat_purchases,
        sum(actual_holdout_purchases) as actual_holdout_purchases,
        -- exact decimal sums: a floating-point sum depends on the order rows arrive in
        sum(cast(predicted_holdout_purchases as decimal(38, 9))) as predicted_holdout_purchases,
        sum(cast(absolute_error as decimal(38, 9))) as total_absolute_error,
        sum(cast(predicted_repeat_purchases_to_holdout_end as decimal(38, 9))) as predicted_cumulative
    from customers
    group by model_name

),

final as (

    select
        model_name,
        calibration_end_date,
        holdout_end_date,
        holdout_time_units,
        time_unit,
        cast(customers as {{ dbt.type_int() }}) as customers,
        cast(actual_holdout_purchases as {{ dbt.type_int() }}) as actual_holdout_purchases,
        cast(predicted_holdout_purchases as {{ type_double() }}) as predicted_holdout_purchases,
        cast(total_absolute_error as {{ type_double() }}) / customers
            as mean_absolute_error,
        cast(calibration_repeat_purchases + actual_holdout_purchases as {{ dbt.type_int() }})
            as actual_cumulative_repeat_purchases,
        cast(predicted_cumulative as {{ type_double() }}) as predicted_cumulative_repeat_purchases
    from aggregated

)

select * from final
