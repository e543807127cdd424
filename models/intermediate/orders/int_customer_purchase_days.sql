-- One row per customer per day with a completed order on or before the as-of date: how
-- many orders and their revenue. The one definition of a purchase day: several orders
-- on one day are one purchase (a split basket is one decision; BG/NBD counts days).
with orders as (

    select * from {{ ref('int_orders_as_of') }}

),

final as (

    select
        customer_id,
        order_date as purchase_date,
        cast(count(*) as {{ dbt.type_int() }}) as order_count,
        cast(sum(amount) as {{ type_money() }}) as revenue
    from orders
    where is_completed
    group by customer_id, order_date

)

select * from final
