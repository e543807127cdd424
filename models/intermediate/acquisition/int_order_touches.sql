-- One row per completed order (on or before the as-of date) and touch: the customer's
-- sessions with a channel that started in the `attribution_lookback_days` (default 30)
-- before the order, up to the order's instant (both ends inclusive), numbered in time
-- order; an order with no touch gets one row without a session (channel `(none)`).
-- The one definition of a touch, read by every attribution model. Spans are in exact
-- microseconds (epoch_microseconds): dateadd on a timestamp returns a date on some engines.
-- Incremental by person on the change log (int_person_stream_changes): a run recomputes
-- every order of each person the log listed since its latest run (a change anywhere in a
-- session, even after an order, can give that session its channel, so whole people) and
-- the post-hook replaces their stored rows.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config()) }}
{%- set lookback = var('attribution_lookback_days', 30) %}
{%- if lookback is not number or lookback < 0 or lookback != lookback | int %}
    {{ exceptions.raise_compiler_error("attribution_lookback_days must be a whole number >= 0, got " ~ lookback) }}
{%- endif %}
with
{%- if is_incremental() %}
changed_people as (

    {{ changed_people_since_last_run() }}
),
{%- endif %}

orders as (

    select
        orders_as_of.order_id,
        orders_as_of.customer_id,
        orders_as_of.ordered_at,
        orders_as_of.amount,
        {{ epoch_microseconds('orders_as_of.ordered_at') }} as ordered_at_us
    from {{ ref('int_orders_as_of') }} as orders_as_of
    {% if is_incremental() -%}
    inner join changed_people
        on orders_as_of.customer_id = changed_people.person_id
    {%- endif %}
    where orders_as_of.is_completed

),

sessions as (

    select
        all_sessions.session_id,
        all_sessions.person_id,
        all_sessions.started_at,
        all_sessions.channel,
        {{ epoch_microseconds('all_sessions.started_at') }} as started_at_us
    from {{ ref('int_sessions') }} as all_sessions
    {% if is_incremental() -%}
    inner join changed_people
        on all_sessions.person_id = changed_people.person_id
    {%- endif %}
    where all_sessions.channel is not null

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
        -- a customer's person id is their customer id
        orders.customer_id as person_id,
        orders.customer_id,
        orders.ordered_at,
        orders.amount as order_revenue,
        numbered.session_id,
        coalesce(numbered.channel, '(none)') as channel,
        numbered.touch_at,
        cast(numbered.touch_number as {{ dbt.type_int() }}) as touch_number,
        cast(coalesce(numbered.touch_count, 0) as {{ dbt.type_int() }}) as touch_count,
        cast(numbered.microseconds_before_order as {{ type_double() }}) / 1000000 as seconds_before_order,
        {{ run_stamp() }} as processed_at
    from orders
    left join numbered
        on orders.order_id = numbered.order_id

)

select * from final
