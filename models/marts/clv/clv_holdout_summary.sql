-- One row per transaction model when `clv_calibration_end_date` sets a holdout: how well
-- the model fitted on the calibration period forecasts the holdout (total predicted vs
-- actual purchase days, mean absolute error per customer) and the cumulative repeat
-- purchases from the first purchase to the holdout end (the BG/NBD paper's tracking
-- figure). Empty without a holdout.
with customers as (

    select * from {{ ref('clv_holdout_customers') }}

),

fits as (

    select distinct model_name, log_likelihood
    from {{ ref('int_clv_model_fit') }}
    where fit_period = 'calibration'

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
        aggregated.model_name,
        aggregated.calibration_end_date,
        aggregated.holdout_end_date,
        aggregated.holdout_time_units,
        aggregated.time_unit,
        cast(aggregated.customers as {{ dbt.type_int() }}) as customers,
        fits.log_likelihood as calibration_log_likelihood,
        cast(aggregated.actual_holdout_purchases as {{ dbt.type_int() }}) as actual_holdout_purchases,
        cast(aggregated.predicted_holdout_purchases as {{ type_double() }}) as predicted_holdout_purchases,
        cast(aggregated.total_absolute_error as {{ type_double() }}) / aggregated.customers
            as mean_absolute_error,
        cast(aggregated.calibration_repeat_purchases + aggregated.actual_holdout_purchases as {{ dbt.type_int() }})
            as actual_cumulative_repeat_purchases,
        cast(aggregated.predicted_cumulative as {{ type_double() }}) as predicted_cumulative_repeat_purchases
    from aggregated
    left join fits
        on aggregated.model_name = fits.model_name

)

select * from final
