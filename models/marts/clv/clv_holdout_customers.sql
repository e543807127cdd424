-- One row per customer and transaction model when `clv_calibration_end_date` sets a
-- holdout: the calibration history (purchase days to the calibration end), the purchase
-- days that really happened in the holdout (to the as-of date) and what the model,
-- fitted on the calibration period alone, predicted for them. Empty without a holdout,
-- and with `clv_probabilistic` false (no fit): built either way, so the report and BI
-- tools always find it.
with inputs as (

    select * from {{ ref('int_customer_clv_holdout_inputs') }}

),

predictions as (

    {%- if var('clv_probabilistic', true) %}
    select * from {{ ref('int_customer_clv_holdout_predictions') }}
    {%- else %}
    select
        customer_id,
        cast(null as {{ dbt.type_string() }}) as model_name,
        cast(null as {{ type_double() }}) as p_alive,
        cast(null as {{ type_double() }}) as predicted_holdout_purchases,
        cast(null as {{ type_double() }}) as predicted_repeat_purchases_to_holdout_end
    from inputs
    where 1 = 0
    {%- endif %}

),

final as (

    select
        inputs.customer_id,
        predictions.model_name,
        inputs.calibration_end_date,
        inputs.holdout_end_date,
        inputs.first_purchase_date,
        inputs.repeat_purchase_count as calibration_repeat_purchase_count,
        inputs.recency_time_units as calibration_recency_time_units,
        inputs.age_time_units as calibration_age_time_units,
        inputs.holdout_time_units,
        inputs.time_unit,
        predictions.p_alive as calibration_p_alive,
        inputs.holdout_purchase_count as actual_holdout_purchases,
        predictions.predicted_holdout_purchases,
        abs(predictions.predicted_holdout_purchases - inputs.holdout_purchase_count) as absolute_error,
        predictions.predicted_repeat_purchases_to_holdout_end
    from inputs
    inner join predictions
        on inputs.customer_id = predictions.customer_id

)

select * from final
