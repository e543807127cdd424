-- One row per completed order (on or before the as-of date) and touch: the customer's
-- sessions with a channel that started in the `attribution_lookback_days` (default 30)
-- before the order, up to the order's instant (both ends inclusive), numbered in time
-- order; an order with no touch gets one row without a session (channel `(none)`).
-- The one definition of a touch, read by every attribution model. Spans are in exact
-- microseconds (epoch_microseconds): dateadd on a timestamp returns a date on some engines.
{%- set lookback = var('attribution_lookback_days', 30) %}
{%- if lookback is not number or lookback < 0 or lookback != lookback | int %}
    {{ exceptions.raise_compiler_error("attribution_lookback_days must be a whole number >= 0, got " ~ lookback) }}
{%- endif %}
with orders as (

    select
        order_id,
        customer_id,
        ordered_at,
        amount,
        {{ epoch_microseconds('ordered_at') }} as ordered_at_us
    from {{ ref('int_orders_as_of') }}
    where is_completed

),

sessions as (

    select
        session_id,
        person_id,
        started_at,
        channel,
        {{ epoch_microseconds('started_at') }} as started_at_us
    from {{ ref('int_sessions') }}
    where channel is not null

),

touches as (

    select
        orders.order_id,
        sessions.session_id,
        sessions.channel,
        sessions.started_at as touch_at,
        orders.ordered_at_us - sessions.started_at_us as microseconds_before_order
    from orders
    inner join sessions
        on
            orders.customer_id = sessions.person_id
            and orders.ordered_at_us >= sessions.started_at_us
            and orders.ordered_at_us - {{ lookback | int * 86400 * 1000000 }} <= sessions.started_at_us

),

numbered as (

    select
        order_id,
        session_id,
        channel,
        touch_at,
        microseconds_before_order,
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
        cast(numbered.microseconds_before_order as {{ type_double() }}) / 1000000 as seconds_before_order
    from orders
    left join numbered
        on orders.order_id = numbered.order_id

)

select * from final
