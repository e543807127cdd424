-- One row per completed order (on or before the as-of date) and touch: the customer's
-- sessions with a channel that started in the `attribution_lookback_days` (default 30)
-- before the order, up to the order's instant (both ends inclusive), numbered in time
-- order; an order with no touch gets one row without a session (channel `(none)`).
-- The one definition of a touch, read by every attribution model.
{%- set lookback = var('attribution_lookback_days', 30) %}
{%- if lookback is not number or lookback < 0 or lookback != lookback | int %}
    {{ exceptions.raise_compiler_error("attribution_lookback_days must be a whole number >= 0, got " ~ lookback) }}
{%- endif %}
with orders as (

    select
        order_id,
        customer_id,
        ordered_at,
        amount
    from {{ ref('int_orders_as_of') }}
    where is_completed

),

sessions as (

    select
        session_id,
        person_id,
        started_at,
        channel
    from {{ ref('int_sessions') }}
    where channel is not null

),

touches as (

    select
        orders.order_id,
        sessions.session_id,
        sessions.channel,
        sessions.started_at as touch_at
    from orders
    inner join sessions
        on
            orders.customer_id = sessions.person_id
            and sessions.started_at <= orders.ordered_at
            and sessions.started_at >= {{ dbt.dateadd('day', -1 * lookback | int, 'orders.ordered_at') }}

),

numbered as (

    select
        order_id,
        session_id,
        channel,
        touch_at,
        row_number() over (partition by order_id order by touch_at, session_id) as touch_number,
        count(*) over (partition by order_id) as touch_count
    from touches

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        orders.ordered_at,
        orders.amount as order_revenue,
        numbered.session_id,
        coalesce(numbered.channel, '(none)') as channel,
        numbered.touch_at,
        cast(numbered.touch_number as {{ dbt.type_int() }}) as touch_number,
        cast(coalesce(numbered.touch_count, 0) as {{ dbt.type_int() }}) as touch_count,
        {{ dbt.datediff('numbered.touch_at', 'orders.ordered_at', 'second') }} as seconds_before_order
    from orders
    left join numbered
        on orders.order_id = numbered.order_id

)

select * from final
