-- One row per transaction model and calibration frequency (repeat purchase days in the
-- calibration period: 0, 1, ..., 6, and 7 for seven or more) when a holdout is set: mean
-- actual and mean predicted holdout purchase days, the conditional expectations the
-- BG/NBD paper plots. Empty without a holdout.
{%- set top_frequency = 7 %}
with customers as (

    select * from {{ ref('clv_holdout_customers') }}

),

bucketed as (

    select
        model_name,
        least(calibration_repeat_purchase_count, {{ top_frequency }}) as calibration_frequency,
        actual_holdout_purchases,
        predicted_holdout_purchases
    from customers

),

aggregated as (

    select
        model_name,
        calibration_frequency,
        count(*) as customers,
        sum(actual_holdout_purchases) as actual_holdout_purchases,
        -- exact decimal sums: a floating-point sum depends on the order rows arrive in
        sum(cast(predicted_holdout_purchases as decimal(38, 9))) as predicted_holdout_purchases
    from bucketed
    group by model_name, calibration_frequency

),

final as (

    select
        model_name,
        cast(calibration_frequency as {{ dbt.type_int() }}) as calibration_frequency,
        cast(
            case
                when calibration_frequency = {{ top_frequency }} then '{{ top_frequency }}+'
                else cast(calibration_frequency as {{ dbt.type_string() }})
            end as {{ dbt.type_string() }}
        ) as frequency_label,
        cast(customers as {{ dbt.type_int() }}) as customers,
        cast(actual_holdout_purchases as {{ type_double() }}) / customers as mean_actual_holdout_purchases,
        cast(predicted_holdout_purchases as {{ type_double() }}) / customers as mean_predicted_holdout_purchases
    from aggregated

)

select * from final
