-- One row per behaviour of a person on or before the as-of date: stitched tracker events
-- plus completed orders as event 'order_completed' (the orders table is the system of
-- record, so tracker events of that name are left out, as in int_customer_events_daily).
-- Pre-sign-up events belong to the customer (stitching); visitors never identified stay
-- 'anonymous:<id>'. Events are numbered into inactivity sessions for path analysis.
-- Every funnel and path model reads this stream.
with events as (

    select * from {{ ref('int_events_sessionized') }}

),

orders as (

    select * from {{ ref('int_orders_as_of') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

tracked as (

    select
        events.person_id,
        events.customer_id,
        events.event_id,
        events.event_name,
        events.occurred_at,
        events.platform
    from events
    cross join as_of
    where
        events.event_name != 'order_completed'
        and {{ on_or_before_as_of('events.occurred_at', 'as_of.as_of_date') }}
),

purchases as (

    select
        customer_id as person_id,
        customer_id,
        {{ dbt.concat(["'order:'", 'order_id']) }} as event_id,
        'order_completed' as event_name,
        ordered_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as platform
    from orders
    where is_completed

),

stream as (

    select * from tracked
    union all
    select * from purchases

),

gaps as (

    select
        stream.*,
        lag(stream.occurred_at) over (
            partition by stream.person_id
            order by stream.occurred_at, stream.event_id
        ) as previous_occurred_at
    from stream

),

final as (

    select
        person_id,
        customer_id,
        event_id,
        event_name,
        occurred_at,
        platform,
        sum(case when {{ starts_new_session('occurred_at', 'previous_occurred_at') }} then 1 else 0 end) over (
            partition by person_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as session_number
    from gaps

)

select * from final
