-- One row per segment of each scheme (`rfm_11` and `value_8`) as of the as-of date:
-- customers, revenue, their shares, and average R, F and M.
with rfm as (

    select * from {{ ref('customer_rfm') }}

),

by_segment as (

    select
        'rfm_11' as segment_scheme,
        rfm_segment as segment,
        customer_id,
        total_revenue,
        days_since_last_purchase,
        purchase_count,
        monetary_value
    from rfm

    union all

    select
        'value_8' as segment_scheme,
        value_segment as segment,
        customer_id,
        total_revenue,
        days_since_last_purchase,
        purchase_count,
        monetary_value
    from rfm

),

aggregated as (

    select
        segment_scheme,
        segment,
        count(*) as customers,
        sum(total_revenue) as revenue,
        -- exact sums divided once: a floating-point avg() depends on the order rows arrive in
        sum(days_since_last_purchase) as total_days_since_last_purchase,
        sum(purchase_count) as total_purchase_count,
        sum(monetary_value) as total_monetary_value
    from by_segment
    group by segment_scheme, segment

),

final as (

    select
        segment_scheme,
        segment,
        cast(customers as {{ dbt.type_int() }}) as customers,
        cast(customers as {{ type_double() }}) / sum(customers) over (
            partition by segment_scheme
        ) as share_of_customers,
        cast(revenue as {{ type_money() }}) as revenue,
        case
            when sum(revenue) over (partition by segment_scheme) = 0 then 0
            else
                cast(revenue as {{ type_double() }})
                / cast(sum(revenue) over (partition by segment_scheme) as {{ type_double() }})
        end as share_of_revenue,
        cast(total_days_since_last_purchase as {{ type_double() }}) / customers as avg_days_since_last_purchase,
        cast(total_purchase_count as {{ type_double() }}) / customers as avg_purchase_count,
        cast(total_monetary_value as {{ type_double() }}) / customers as avg_monetary_value
    from aggregated

)

select * from final
