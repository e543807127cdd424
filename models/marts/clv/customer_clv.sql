-- One row per customer with a completed order on or before the as-of date: the
-- buy-till-you-die inputs, historical CLV, the sources' formula CLV and the
-- probabilistic CLV (the transaction model of var `clv_transaction_model`, BG/NBD or
-- Pareto/NBD, x Gamma-Gamma, discounted). Money is revenue times `clv_gross_margin`
-- (1.0 = revenue).
{%- set margin = var('clv_gross_margin', 1.0) %}
{%- set horizon = var('clv_horizon_months', 12) %}
{%- if margin is not number or margin <= 0 or margin > 1 %}
    {{ exceptions.raise_compiler_error("clv_gross_margin must be a number in (0, 1], got " ~ margin) }}
{%- endif %}
{#- engines without dbt Python models set clv_probabilistic false: the BG/NBD and
    Gamma-Gamma columns are then NULL, everything else is built the same -#}
{%- set probabilistic = var('clv_probabilistic', true) %}
{%- set transaction_model = clv_transaction_model() %}
{%- if horizon is not number or horizon < 1 or horizon != horizon | int %}
    {{ exceptions.raise_compiler_error("clv_horizon_months must be a whole number >= 1, got " ~ horizon) }}
{%- endif %}

with inputs as (

    select * from {{ ref('int_customer_clv_inputs') }}

),

predictions as (

    {%- if probabilistic %}
    select * from {{ ref('int_customer_clv_predictions') }}
    {%- else %}
        select
            customer_id,
            {%- for model_name in ['bg_nbd', 'pareto_nbd'] %}
            cast(null as {{ type_double() }}) as {{ model_name }}_p_alive,
            cast(null as {{ type_double() }}) as {{ model_name }}_expected_purchases,
            cast(null as {{ type_double() }}) as {{ model_name }}_discounted_expected_purchases,
            {%- endfor %}
            cast(null as {{ type_double() }}) as expected_avg_order_value
        from inputs
    {%- endif %}

),

churn_status as (

    select * from {{ ref('int_customer_churn_status') }}

),

acquisition as (

    select * from {{ ref('int_customer_acquisition') }}

),

final as (

    select
        inputs.customer_id,
        inputs.as_of_date,
        inputs.first_purchase_date,
        {{ cohort_month('inputs.first_purchase_date') }} as cohort_month,
        acquisition.acquisition_channel,

        -- buy-till-you-die inputs (purchase days)
        inputs.repeat_purchase_count,
        inputs.days_first_to_last_purchase,
        inputs.days_since_first_purchase,
        inputs.avg_purchase_value,
        inputs.avg_repeat_purchase_value,

        -- historical: revenue net of refunds to date
        cast(inputs.total_revenue * {{ margin }} as {{ type_money() }}) as historical_clv,

        -- the sources' formula: s / t x T, s = average spend per purchase, t = average days
        -- between purchases, T = expected remaining lifetime = the horizon for a customer
        -- not churned, 0 for a churned one; NULL with one purchase (no interval yet)
        case
            when churn_status.is_churned then cast(0 as {{ type_money() }})
            when inputs.repeat_purchase_count = 0 or inputs.days_first_to_last_purchase = 0 then null
            else cast(
                    inputs.avg_purchase_value * {{ margin }}
                    / (cast(inputs.days_first_to_last_purchase as {{ type_double() }}) / inputs.repeat_purchase_count)
                    * {{ (horizon * 365.25 / 12) | round(4) }}
                    as {{ type_money() }}
                )
        end as formula_clv,

        -- probabilistic: the chosen transaction model x Gamma-Gamma
        cast('{{ transaction_model }}' as {{ dbt.type_string() }}) as transaction_model,
        predictions.{{ transaction_model }}_p_alive as p_alive,
        predictions.{{ transaction_model }}_expected_purchases as expected_purchases,
        predictions.{{ transaction_model }}_discounted_expected_purchases as discounted_expected_purchases,
        cast(predictions.expected_avg_order_value as {{ type_money() }}) as expected_avg_order_value,
        cast(
            predictions.{{ transaction_model }}_discounted_expected_purchases
            * predictions.expected_avg_order_value * {{ margin }}
            as {{ type_money() }}
        ) as predicted_clv,
        -- both models' forecasts side by side, whichever is chosen
        predictions.bg_nbd_p_alive,
        predictions.bg_nbd_expected_purchases,
        predictions.pareto_nbd_p_alive,
        predictions.pareto_nbd_expected_purchases
    from inputs
    left join predictions
        on inputs.customer_id = predictions.customer_id
    left join churn_status
        on inputs.customer_id = churn_status.customer_id
    left join acquisition
        on inputs.customer_id = acquisition.customer_id

)

select * from final
