-- One row per valid order placed on or before the as-of date, any status. Defines
-- once what counts as a purchase: `is_completed` (cancelled and refunded orders do not).
with orders as (

    select * from {{ ref('stg_raw__orders') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        orders.order_status,
        orders.order_status = 'completed' as is_completed,
        orders.amount,
        orders.ordered_at,
        orders.order_date,
        as_of.as_of_date
    from orders
    cross join as_of
    where {{ on_or_before_as_of('orders.ordered_at', 'as_of.as_of_date') }}
)

select * from final
