-- One row per customer with a completed order on or before the as-of date: the
-- buy-till-you-die inputs over purchase days (several orders on one day are one
-- purchase with the day's total, `int_customer_purchase_days`). Names differ from RFM's on purpose:
-- `repeat_purchase_count` is not RFM frequency, `days_first_to_last_purchase` is not
-- RFM recency. The `*_time_units` columns are the same spans in var `clv_time_unit`,
-- which is what the BG/NBD fit and predictions read.
{%- set days_per_unit = clv_days_per_time_unit() %}
with purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

ranked as (

    select
        customer_id,
        purchase_date,
        revenue,
        min(purchase_date) over (partition by customer_id) as first_purchase_date
    from purchase_days

),

aggregated as (

    select
        customer_id,
        min(first_purchase_date) as first_purchase_date,
        max(purchase_date) as last_purchase_date,
        count(*) as purchase_days,
        sum(revenue) as total_revenue,
        sum(case when purchase_date > first_purchase_date then revenue else 0 end) as repeat_revenue
    from ranked
    group by customer_id

),

final as (

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
            {{ dbt.datediff('aggregated.first_purchase_date', 'as_of.as_of_date', 'day') }}
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
            {{ dbt.datediff('aggregated.first_purchase_date', 'as_of.as_of_date', 'day') }}
            as {{ type_double() }}
        ) / {{ days_per_unit }} as age_time_units,
        {{ 365.25 / 12 }} / {{ days_per_unit }} as time_units_per_month,
        as_of.as_of_date
    from aggregated
    cross join as_of

)

select * from final
