-- One row per customer with any order on or before the as-of date: purchase counts,
-- dates and revenue. Revenue is net of refunds: only completed orders count.
with orders as (

    select * from {{ ref('int_orders_as_of') }}

),

final as (

    select
        customer_id,
        min(as_of_date) as as_of_date,
        min(case when is_completed then ordered_at end) as first_order_at,
        max(case when is_completed then ordered_at end) as last_order_at,
        min(case when is_completed then order_date end) as first_order_date,
        max(case when is_completed then order_date end) as last_order_date,
        sum(case when is_completed then 1 else 0 end) as order_count,
        coalesce(sum(case when is_completed then amount end), 0) as lifetime_revenue,
        sum(case when order_status = 'refunded' then 1 else 0 end) as refunded_order_count,
        coalesce(sum(case when order_status = 'refunded' then amount end), 0) as refunded_amount,
        sum(case when order_status = 'cancelled' then 1 else 0 end) as cancelled_order_count
    from orders
    group by customer_id

)

select * from final
