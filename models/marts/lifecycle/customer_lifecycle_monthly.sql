-- One row per customer per month, from the month of their first active month to the
-- month holding the as-of date. Active: at least `activity_min_count` qualifying
-- activities (var `activity_events`) in the month. Status (PostHog's lifecycle):
--   new           active, and this is their first active month;
--   returning     active this month and the previous one;
--   resurrecting  active this month, not the previous one, but some earlier month;
--   dormant       not active this month, active the previous one;
--   inactive      not active this month nor the previous one.
with activity_days as (

    select * from {{ ref('int_customer_activity_days') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

monthly_activity as (

    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as activity_month,
        sum(activity_count) as activity_count
    from activity_days
    group by customer_id, cast({{ dbt.date_trunc('month', 'activity_date') }} as date)

),

first_active as (

    select
        customer_id,
        min(activity_month) as first_active_month
    from monthly_activity
    where {{ meets_activity_threshold('activity_count') }}
    group by customer_id

),

months as (

    {{ integer_series(periods_series_size(),
        'select ' ~ period_number('min(first_active.first_active_month)', 'max(as_of.as_of_date)', 'month')
        ~ ' from first_active cross join as_of') }}

),

-- the months from the earliest first active month to the as-of month, then each
-- customer's from their own first one: joining every customer to the whole series and
-- filtering compared every customer with the whole series
calendar_months as (

    select cast({{ dbt.dateadd('month', 'months.n', 'bounds.first_month') }} as date) as activity_month
    from (select min(first_active_month) as first_month from first_active) as bounds
    cross join as_of
    inner join months
        on months.n <= {{ period_number('bounds.first_month', 'as_of.as_of_date', 'month') }}

),

spine as (

    select
        first_active.customer_id,
        first_active.first_active_month,
        calendar_months.activity_month
    from first_active
    inner join calendar_months
        on first_active.first_active_month <= calendar_months.activity_month

),

flagged as (

    select
        spine.customer_id,
        spine.activity_month,
        spine.first_active_month,
        coalesce(monthly_activity.activity_count, 0) as activity_count,
        {{ meets_activity_threshold('monthly_activity.activity_count') }} as is_active
    from spine
    left join monthly_activity
        on
            spine.customer_id = monthly_activity.customer_id
            and spine.activity_month = monthly_activity.activity_month

),

with_previous as (

    select
        *,
        coalesce(
            lag(is_active) over (partition by customer_id order by activity_month),
            false
        ) as was_active_previous_month
    from flagged

),

final as (

    select
        customer_id,
        activity_month,
        cast(activity_count as {{ dbt.type_int() }}) as activity_count,
        is_active,
        was_active_previous_month,
        cast(
            case
                when is_active and activity_month = first_active_month then 'new'
                when is_active and was_active_previous_month then 'returning'
                when is_active then 'resurrecting'
                when was_active_previous_month then 'dormant'
                else 'inactive'
            end as {{ dbt.type_string() }}
        ) as lifecycle_status
    from with_previous

)

select * from final
