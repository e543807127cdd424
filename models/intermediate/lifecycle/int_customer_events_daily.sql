-- One row per identified customer per day per behaviour, on or before the as-of date:
-- how many times it happened and, for purchases, the revenue. Purchases come from the
-- orders table as event name 'order_completed' (completed orders only); tracker events
-- of that name are left out, since the orders table is the system of record and would
-- otherwise be counted twice. Every activity, retention and churn model reads this.
-- Incremental by customer: recomputes customers whose events int_events_sessionized
-- restamped, customers it no longer has events of, and customers whose purchase days
-- changed (a set difference with the stored ones: orders carry no run stamp).
{{ config(**incremental_by_person_config('event_name', key_column='customer_id')) }}
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

changed_customers as (

    select customer_id
    from {{ events }}
    where {{ stamped_after(since) }} and customer_id is not null
    union
    select stored_customers.customer_id
    from (
        select distinct customer_id from {{ this }}
        where event_name != 'order_completed'
    ) as stored_customers
    where stored_customers.customer_id not in (
        select distinct customer_id from {{ events }}
        where customer_id is not null
    )
    union
    {{ keys_with_changed_rows('purchase_days', 'stored_purchase_days',
        ['customer_id', 'purchase_date', 'order_count', 'revenue']) }}

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
    where
        events.customer_id is not null
        {%- if since %}
        and events.customer_id in (select changed_customers.customer_id from changed_customers)
        {%- endif %}
        and events.event_name != 'order_completed'
        and {{ on_or_before_as_of('events.occurred_at', 'as_of.as_of_date') }}
    group by events.customer_id, cast(events.occurred_at as date), events.event_name

),

final as (

    select
        customer_id,
        purchase_date as activity_date,
        'order_completed' as event_name,
        order_count as event_count,
        revenue
    from purchase_days
    {%- if since %}
    where customer_id in (select changed_customers.customer_id from changed_customers)
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
{{ person_markers('changed_customers', key_column='customer_id') }}
{%- endif %}
