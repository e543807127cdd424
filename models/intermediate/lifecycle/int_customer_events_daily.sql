-- One row per identified customer per day per behaviour, on or before the as-of date:
-- how many times it happened and, for purchases, the revenue. Purchases come from the
-- orders table as event name 'order_completed' (completed orders only); tracker events
-- of that name are left out, since the orders table is the system of record and would
-- otherwise be counted twice. Every activity, retention and churn model reads this.
with purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

events as (

    select * from {{ ref('int_events_sessionized') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

event_days as (

    select
        events.customer_id,
        cast(events.occurred_at as date) as activity_date,
        events.event_name,
        count(*) as event_count,
        cast(0 as {{ type_money() }}) as revenue
    from events
    cross join as_of
    where
        events.customer_id is not null
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

    union all

    select
        customer_id,
        activity_date,
        event_name,
        cast(event_count as {{ dbt.type_int() }}) as event_count,
        cast(revenue as {{ type_money() }}) as revenue
    from event_days

)

select * from final
