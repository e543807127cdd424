-- One row per customer with at least one completed order on or before the as-of date.
with order_facts as (

    select * from {{ ref('int_customer_order_facts') }}

),

event_facts as (

    select * from {{ ref('int_customer_event_facts') }}

),

acquisition as (

    select * from {{ ref('int_customer_acquisition') }}

),

churn_status as (

    select * from {{ ref('int_customer_churn_status') }}

),

final as (

    select
        -- ids
        cast(order_facts.customer_id as {{ dbt.type_string() }}) as customer_id,

        -- purchases (completed orders; revenue net of refunds)
        order_facts.first_order_at,
        order_facts.last_order_at,
        cast(order_facts.order_count as {{ dbt.type_int() }}) as order_count,
        cast(order_facts.lifetime_revenue as {{ type_money() }}) as lifetime_revenue,
        {{ divide_money('order_facts.lifetime_revenue', 'order_facts.order_count') }} as avg_order_value,
        cast(order_facts.refunded_order_count as {{ dbt.type_int() }}) as refunded_order_count,
        cast(order_facts.cancelled_order_count as {{ dbt.type_int() }}) as cancelled_order_count,
        order_facts.order_count >= 2 as is_repeat_customer,

        -- acquisition: first touch from stitched events, else the store's attribution
        acquisition.first_seen_at,
        acquisition.signed_up_at,
        acquisition.acquisition_channel,
        acquisition.acquisition_platform,
        acquisition.country,
        {{ cohort_month('order_facts.first_order_date') }} as cohort_month,

        -- as of the as-of date
        order_facts.as_of_date,
        cast(
            {{ dbt.datediff('order_facts.last_order_date', 'order_facts.as_of_date', 'day') }}
            as {{ dbt.type_int() }}
        ) as days_since_last_order,
        cast(
            {{ dbt.datediff('order_facts.first_order_date', 'order_facts.as_of_date', 'day') }}
            as {{ dbt.type_int() }}
        ) as tenure_days,

        -- churn (activity = var activity_events; NULL for a buyer who never did it)
        churn_status.last_activity_date,
        churn_status.churn_days,
        churn_status.is_churned,
        cast(churn_status.churned_on as {{ dbt.type_timestamp() }}) as churned_at,
        churn_status.is_reactivated,
        churn_status.is_at_risk,

        -- engagement (stitched events)
        cast(coalesce(event_facts.session_count, 0) as {{ dbt.type_int() }}) as session_count,
        cast(coalesce(event_facts.event_count, 0) as {{ dbt.type_int() }}) as event_count

    from order_facts
    left join event_facts
        on order_facts.customer_id = event_facts.customer_id
    left join acquisition
        on order_facts.customer_id = acquisition.customer_id
    left join churn_status
        on order_facts.customer_id = churn_status.customer_id
    where order_facts.order_count > 0

)

select * from final
