-- One row per identified customer per day per behaviour, on or before the as-of date:
-- how many times it happened and, for purchases, the revenue. Purchases come from the
-- orders table as event name 'order_completed' (completed orders only); tracker events
-- of that name are left out, since the orders table is the system of record and would
-- otherwise be counted twice. Every activity, retention and churn model reads this.
-- Incremental by tails (DECISIONS.md): a customer's days before their first change are
-- kept. The change is the tail start int_events_sessionized recomputed from (before any
-- event it added, moved or dropped), or the first purchase day that differs from the
-- stored one (a set difference: orders carry no run stamp). Days from there on are
-- recomputed; a customer int_events_sessionized no longer has is recomputed whole.
{{ config(**incremental_by_tail_config('customer_id', 'activity_date', 'event_count')) }}
{%- set since = incremental_stored_max('processed_at') %}
{#- the events are named where read, not through a CTE: DuckDB materialises a CTE read
    more than once, which here would copy every event #}
{%- set events = ref('int_events_sessionized') %}

with purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),
{%- if since %}

stored_purchase_days as (

    select
        customer_id,
        activity_date as purchase_date,
        event_count as order_count,
        revenue
    from {{ this }}
    where event_name = 'order_completed'

),

-- per changed customer, the first day to recompute (NULL: all of them)
recompute_from as (

    select
        customer_id,
        {{ earliest_tail_start('from_date') }} as from_date
    from (
        select
            customer_id,
            cast(tail_from as date) as from_date
        from ({{ tail_starts(events, since, key_column='customer_id',
            stored_where="event_name != 'order_completed'") | indent(12) }}) as event_tails
        union all
        select
            customer_id,
            purchase_date as from_date
        from ({{ keys_with_changed_rows('purchase_days', 'stored_purchase_days',
            ['customer_id', 'purchase_date', 'order_count', 'revenue'],
            returned='customer_id, purchase_date') | indent(12) }}) as changed_purchase_days
    ) as changes
    group by customer_id

),
{%- endif %}

event_days as (

    select
        events.customer_id,
        cast(events.occurred_at as date) as activity_date,
        events.event_name,
        count(*) as event_count,
        cast(0 as {{ type_money() }}) as revenue
    from {{ events }} as events
    cross join as_of
    {%- if since %}
    inner join recompute_from
        on
            events.customer_id = recompute_from.customer_id
            and {{ in_tail('cast(events.occurred_at as date)', 'recompute_from.from_date') }}
    {%- endif %}
    where
        events.customer_id is not null
        and events.event_name != 'order_completed'
        and {{ on_or_before_as_of('events.occurred_at', 'as_of.as_of_date') }}
    group by events.customer_id, cast(events.occurred_at as date), events.event_name

),

final as (

    select
        purchase_days.customer_id,
        purchase_days.purchase_date as activity_date,
        'order_completed' as event_name,
        purchase_days.order_count as event_count,
        purchase_days.revenue
    from purchase_days
    {%- if since %}
    inner join recompute_from
        on
            purchase_days.customer_id = recompute_from.customer_id
            and {{ in_tail('purchase_days.purchase_date', 'recompute_from.from_date') }}
    {%- endif %}

    union all

    select
        customer_id,
        activity_date,
        event_name,
        cast(event_count as {{ dbt.type_int() }}) as event_count,
        cast(revenue as {{ type_money() }}) as revenue
    from event_days

),

stamped as (

    select
        final.*,
        {{ run_stamp() }} as processed_at
    from final

)

select * from stamped
{%- if since %}
{{ tail_start_rows('recompute_from', 'from_date', 'activity_date', person_column='customer_id') }}
{%- endif %}
