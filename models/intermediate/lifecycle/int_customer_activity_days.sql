-- One row per customer per day with at least one qualifying activity (var
-- `activity_events`, default a completed order) and how many qualifying events it had.
-- The key behaviour is configuration, not code.
with daily as (

    select * from {{ ref('int_customer_events_daily') }}

),

final as (

    select
        customer_id,
        activity_date,
        cast(sum(event_count) as {{ dbt.type_int() }}) as activity_count
    from daily
    where {{ event_name_in('event_name', var('activity_events'), 'activity_events') }}
    group by customer_id, activity_date

)

select * from final
