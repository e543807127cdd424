-- One row per behaviour of a person on or before the as-of date: stitched tracker events
-- plus completed orders as event 'order_completed' (the orders table is the system of
-- record, so tracker events of that name are left out).
-- Pre-sign-up events belong to the customer (stitching); visitors never identified stay
-- 'anonymous:<id>'. Sessions are int_events_sessionized's, the one sessioniser: a tracker
-- event keeps its session_id; an order joins the session of the person's latest tracker
-- event at most session_timeout_minutes before it (macro order_session_id).
-- Every funnel and path model and int_customer_events_daily read this stream.
-- Incremental by tails: a run recomputes each changed person's stream from their last
-- stored event before the first change on (the events int_events_sessionized restamped,
-- at their new and their stored time, and changed completed orders); the post-hooks
-- delete the stored rows the run recomputed and the orders no longer completed.
-- Changing as_of_date or session_timeout_minutes needs --full-refresh.
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
        cast(null as {{ type_money() }}) as revenue,
        events.session_id
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
{%- endif %}

-- the rows to compute: all on a full build, each changed person's tail on an incremental one
tracked_rows as (

    {{ rows_in_tails('tracked') | indent(4) }}

),

purchase_rows as (

    {{ rows_in_tails('purchases') | indent(4) }}

),

-- the tracker events that can give an order its session: the person's, at or before
-- the order and at most the timeout earlier, latest first (recency 1)
order_session_candidates as (

    select
        purchase_rows.event_id,
        tracked_before.session_id,
        row_number() over (
            partition by purchase_rows.event_id
            order by tracked_before.occurred_at desc, tracked_before.event_id desc
        ) as recency
    from purchase_rows
    inner join {{ events }} as tracked_before
        on
            purchase_rows.person_id = tracked_before.person_id
            and purchase_rows.occurred_at >= tracked_before.occurred_at
            and not {{ starts_new_session('purchase_rows.occurred_at', 'tracked_before.occurred_at') | indent(12) }}
    where tracked_before.event_name != 'order_completed'

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
        session_id,
        {{ run_stamp() }} as processed_at
    from tracked_rows
    union all
    select
        purchase_rows.person_id,
        purchase_rows.customer_id,
        purchase_rows.event_id,
        purchase_rows.event_name,
        purchase_rows.occurred_at,
        purchase_rows.platform,
        purchase_rows.revenue,
        -- no tracker event in reach: a session of its own
        coalesce(
            order_session_candidates.session_id,
            {{ person_session_id('purchase_rows.person_id', 'purchase_rows.event_id') | indent(12) }}
        ) as session_id,
        {{ run_stamp() }} as processed_at
    from purchase_rows
    left join order_session_candidates
        on
            purchase_rows.event_id = order_session_candidates.event_id
            and order_session_candidates.recency = 1

)

select * from final
