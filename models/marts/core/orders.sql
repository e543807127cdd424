-- One row per completed order on or before the as-of date: the order-grain fact that
-- revenue, order counts and average order value are summed from (semantic layer, BI).
with orders as (

    select * from {{ ref('int_orders_as_of') }}

),

acquisition as (

    select * from {{ ref('int_customer_acquisition') }}

),

order_facts as (

    select * from {{ ref('int_customer_order_facts') }}

),

completed as (

    select
        order_id,
        customer_id,
        ordered_at,
        order_date,
        amount,
        as_of_date,
        -- ties on the timestamp fall back to the id, so the numbering is deterministic
        row_number() over (
            partition by customer_id
            order by ordered_at, order_id
        ) as customer_order_number
    from orders
    where is_completed

),

final as (

    select
        cast(completed.order_id as {{ dbt.type_string() }}) as order_id,
        cast(completed.customer_id as {{ dbt.type_string() }}) as customer_id,
        completed.ordered_at,
        completed.order_date,
        cast(completed.amount as {{ type_money() }}) as revenue,
        cast(completed.customer_order_number as {{ dbt.type_int() }}) as customer_order_number,
        completed.customer_order_number = 1 as is_first_order,
        coalesce(acquisition.acquisition_channel, 'unknown') as acquisition_channel,
        coalesce(acquisition.acquisition_platform, 'unknown') as acquisition_platform,
        {{ cohort_month('order_facts.first_order_date') }} as cohort_month,
        completed.as_of_date
    from completed
    left join acquisition
        on completed.customer_id = acquisition.customer_id
    left join order_facts
        on completed.customer_id = order_facts.customer_id

)

select * from final
