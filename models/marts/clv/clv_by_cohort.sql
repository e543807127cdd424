-- One row per acquisition month (month of the first completed order): customers, historical CLV and
-- predicted CLV (totals and per customer), expected purchases and mean P(alive).
with clv as (

    select * from {{ ref('customer_clv') }}

),

aggregated as (

    select
        cohort_month,
        count(*) as customers,
        sum(historical_clv) as historical_clv,
        sum(predicted_clv) as predicted_clv,
        sum(expected_purchases) as expected_purchases,
        sum(p_alive) as total_p_alive
    from clv
    group by cohort_month

),

final as (

    select
        cohort_month,
        cast(customers as {{ dbt.type_int() }}) as customers,
        cast(historical_clv as {{ type_money() }}) as historical_clv,
        {{ divide_money('historical_clv', 'customers') }} as historical_clv_per_customer,
        cast(predicted_clv as {{ type_money() }}) as predicted_clv,
        {{ divide_money('predicted_clv', 'customers') }} as predicted_clv_per_customer,
        expected_purchases,
        total_p_alive / customers as avg_p_alive
    from aggregated

)

select * from final
