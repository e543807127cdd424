-- One row per fitted CLV model parameter and fit period: the fits of int_clv_model_fit as
-- published to BI tools (refitted with it, weekly; the daily job scores customers with
-- the latest fit), with each transaction model's holdout error when
-- `clv_calibration_end_date` sets a holdout (NULL otherwise, and for Gamma-Gamma).
with fits as (

    select * from {{ ref('int_clv_model_fit') }}

),

holdout as (

    select * from {{ ref('clv_holdout_summary') }}

),

final as (

    select
        fits.model_name,
        fits.fit_period,
        fits.parameter_name,
        fits.parameter_value,
        fits.log_likelihood,
        fits.customers_used,
        fits.time_unit,
        fits.fitted_through_date,
        fits.as_of_date,
        holdout.actual_holdout_purchases,
        holdout.predicted_holdout_purchases,
        holdout.mean_absolute_error as holdout_mean_absolute_error
    from fits
    left join holdout
        on fits.model_name = holdout.model_name

)

select * from final
