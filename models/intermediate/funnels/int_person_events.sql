-- One row per behaviour of a person on or before the as-of date: stitched tracker events
-- plus completed orders as event 'order_completed' (the orders table is the system of
-- record, so tracker events of that name are left out, as in int_customer_events_daily).
-- Pre-sign-up events belong to the customer (stitching); visitors never identified stay
-- 'anonymous:<id>'. Events are numbered into inactivity sessions for path analysis.
-- Every funnel and path model reads this stream.
-- Incremental by person (whole histories: session numbers run over all of a person's
-- events): a run recomputes the people whose events int_events_sessionized restamped,
-- their previous owners, and customers whose completed orders changed. Changing
-- as_of_date or session_timeout_minutes needs --full-refresh.
{{ config(**incremental_by_person_config('event_id')) }}
{%- set since = incremental_stored_max('processed_at') %}

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

all_events as (

    select * from tracked
    union all
    select * from purchases

),
{%- if since %}

restamped as (

    select
        event_id,
        person_id
    from events
    where {{ stamped_after(since) }}

),

stored_purchases as (

    select
        person_id,
        event_id,
        occurred_at
    from {{ this }}
    where event_id like 'order:%'

),

changed_people as (

    select person_id from restamped
    union
    select stored.person_id
    from {{ this }} as stored
    where stored.event_id in (select restamped.event_id from restamped)
    union
    {{ keys_with_changed_rows('purchases', 'stored_purchases', ['person_id', 'event_id', 'occurred_at']) }}

),

{%- endif %}

stream as (

    select all_events.*
    from all_events
    {%- if since %}
    where all_events.person_id in (select changed_people.person_id from changed_people)
    {%- endif %}

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
        ) as session_number,
        {{ run_stamp() }} as processed_at
    from gaps

)

select * from final
{%- if since %}
{{ person_markers('changed_people') }}
{%- endif %}
