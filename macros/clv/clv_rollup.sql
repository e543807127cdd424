{#- The CLV summary of `customer_clv` by one customer attribute: customers, historical
    and predicted CLV (total and per customer), expected purchases, mean P(alive).
    clv_by_cohort and clv_by_channel are this macro with a different attribute. -#}
{% macro clv_rollup(group_column) %}
    {%- if group_column not in ['cohort_month', 'acquisition_channel'] -%}
        {{ exceptions.raise_compiler_error(
            "clv_rollup: group_column must be cohort_month or acquisition_channel, got '" ~ group_column ~ "'") }}
    {%- endif %}
with clv as (

    select * from {{ ref('customer_clv') }}

),

aggregated as (

    select
        {{ group_column }},
        count(*) as customers,
        sum(historical_clv) as historical_clv,
        sum(predicted_clv) as predicted_clv,
        -- exact decimal sums: a floating-point sum depends on the order rows arrive in
        sum(cast(expected_purchases as decimal(38, 9))) as expected_purchases,
        sum(cast(p_alive as decimal(38, 9))) as total_p_alive
    from clv
    group by {{ group_column }}

),

final as (

    select
        {{ group_column }},
        cast(customers as {{ dbt.type_int() }}) as customers,
        cast(historical_clv as {{ type_money() }}) as historical_clv,
        {{ divide_money('historical_clv', 'customers') }} as historical_clv_per_customer,
        cast(predicted_clv as {{ type_money() }}) as predicted_clv,
        {{ divide_money('predicted_clv', 'customers') }} as predicted_clv_per_customer,
        cast(expected_purchases as {{ type_double() }}) as expected_purchases,
        cast(total_p_alive as {{ type_double() }}) / customers as avg_p_alive
    from aggregated

)

select * from final
{%- endmacro %}
