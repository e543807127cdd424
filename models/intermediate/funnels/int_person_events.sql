-- One row per behaviour of a person on or before the as-of date: stitched tracker events
-- plus completed orders as event 'order_completed' (the orders table is the system of
-- record, so tracker events of that name are left out).
-- Pre-sign-up events belong to the customer (stitching); visitors never identified stay
-- 'anonymous:<id>'. Events are numbered into inactivity sessions for path analysis.
-- Every funnel and path model and int_customer_events_daily read this stream.
-- Incremental by tails: a run recomputes each changed person's stream from their last
-- stored event before the first change on (the events int_events_sessionized restamped,
-- at their new and their stored time, and changed completed orders), carrying over the
-- session count there; the post-hooks delete the stored rows the run recomputed and the
-- orders no longer completed. Changing as_of_date or session_timeout_minutes needs
-- --full-refresh.
{{ config(**incremental_by_changed_people_config(replace_hook=[
    "{{ replace_recomputed_tails() }}",
    "{{ replace_recomputed_events(vanished=orders_no_longer_completed()) }}"
])) }}

{#- the parent is named where it is read: DuckDB materialises a CTE read more than once #}
{%- set events = ref('int_events_sessionized') %}
with orders as (

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
        events.platform,
        cast(null as {{ type_money() }}) as revenue
    from {{ events }} as events
    cross join as_of
    where
        events.event_name != 'order_completed'
        and {{ on_or_before_as_of('events.occurred_at', 'as_of.as_of_date') }}
),

purchases as (

    select
        customer_id as person_id,
        customer_id,
        {{ order_event_id('order_id') }} as event_id,
        'order_completed' as event_name,
        ordered_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as platform,
        cast(amount as {{ type_money() }}) as revenue
    from orders
    where is_completed

),

all_events as (

    select * from tracked
    union all
    select * from purchases

),
{%- if is_incremental() %}

restamped as (

    select
        event_id,
        person_id,
        occurred_at
    from {{ events }}
    where processed_at > {{ last_consumed_run() | indent(4) }}

),

stored_purchases as (

    select
        person_id,
        event_id,
        occurred_at,
        revenue
    from {{ this }}
    where event_id like 'order:%'

),

-- where each person's stream changed: restamped events as they are now and as stored
-- (an event can move to another person), and completed orders added or removed
changes as (

    select
        person_id,
        occurred_at as changed_at
    from restamped
    union all
    select
        stored_events.person_id,
        stored_events.occurred_at as changed_at
    from {{ this }} as stored_events
    where stored_events.event_id in (select restamped.event_id from restamped)
    union all
    {{ keys_with_changed_rows('purchases', 'stored_purchases', ['person_id', 'event_id', 'occurred_at', 'revenue'],
        returned='person_id, occurred_at as changed_at') }}

),

anchors as (

    {{ tail_anchors('changes') | indent(4) }}

),

-- the state carried over at each anchor: the event before it and the sessions up to there
carried as (

    select
        anchors.person_id,
        max(stored_events.occurred_at) as last_event_at,
        max(stored_events.session_number) as sessions_before
    from anchors
    inner join {{ this }} as stored_events
        on
            anchors.person_id = stored_events.person_id
            and anchors.resume_at > stored_events.occurred_at
    group by anchors.person_id

),
{%- endif %}

stream as (

    select
        all_events.*,
        {{ 'carried.last_event_at' if is_incremental() else 'cast(null as ' ~ dbt.type_timestamp() ~ ')' }}
            as last_event_at,
        {{ 'coalesce(carried.sessions_before, 0)' if is_incremental() else '0' }} as sessions_before
    from all_events
    {% if is_incremental() -%}
    inner join anchors
        on
            all_events.person_id = anchors.person_id
            and {{ in_tail('all_events.occurred_at', 'anchors.resume_at') }}
    left join carried
        on all_events.person_id = carried.person_id
    {%- endif %}

),

gaps as (

    select
        stream.*,
        coalesce(
            lag(stream.occurred_at) over (
                partition by stream.person_id
                order by stream.occurred_at, stream.event_id
            ),
            stream.last_event_at
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
        revenue,
        -- an integer, not the running sum's HUGEINT (DuckDB reads those 25x slower)
        cast(sessions_before + sum(
            case when {{ starts_new_session('occurred_at', 'previous_occurred_at') }} then 1 else 0 end
        ) over (
            partition by person_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as {{ dbt.type_int() }}) as session_number,
        {{ run_stamp() }} as processed_at
    from gaps

)

select * from final
