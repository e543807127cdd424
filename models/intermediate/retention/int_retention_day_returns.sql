-- One row per customer with a start event (var `retention_start_events`) on or before
-- the as-of date, per day number on which they did a return event (var
-- `retention_return_events`), day_number >= 1 (day 0 is the start day itself, which is
-- never a return). Customers who never returned keep one row with a NULL day_number, so
-- the model also lists every start.
with daily as (

    select * from {{ ref('int_customer_events_daily') }}

),

starts as (

    select
        customer_id,
        min(activity_date) as start_date
    from daily
    where {{ event_name_in('event_name', var('retention_start_events'), 'retention_start_events') }}
    group by customer_id

),

return_days as (

    select distinct
        customer_id,
        activity_date
    from daily
    where {{ event_name_in('event_name', var('retention_return_events'), 'retention_return_events') }}

),

final as (

    select
        starts.customer_id,
        starts.start_date,
        {{ period_number('starts.start_date', 'return_days.activity_date', 'day') }} as day_number
    from starts
    left join return_days
        on
            starts.customer_id = return_days.customer_id
            and starts.start_date < return_days.activity_date

)

select * from final
