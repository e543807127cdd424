-- One row per period grain (var `stickiness_grains`, default week and month), period and
-- k = 1 .. the period's days: the customers active in the period on exactly k distinct
-- days, their share of the period's active customers, and the cumulative "k or more"
-- view (PostHog's stickiness, Mixpanel's frequency). An active day is a day with a
-- qualifying activity (int_customer_activity_days, var `activity_events`); a customer
-- counts in a period when the period's qualifying events meet `activity_min_count`
-- (macro meets_activity_threshold, the one definition of active in a period).
{%- set grains = choice_list_var('stickiness_grains', ['week', 'month'], ['week', 'month']) %}
with activity_days as (

    select * from {{ ref('int_customer_activity_days') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

customer_periods as (

    {%- for grain in grains %}
    select
        cast('{{ grain }}' as {{ dbt.type_string() }}) as period_grain,
        cast({{ dbt.date_trunc(grain, 'activity_date') }} as date) as period_start,
        customer_id,
        count(*) as active_days,
        sum(activity_count) as activity_count
    from activity_days
    group by cast({{ dbt.date_trunc(grain, 'activity_date') }} as date), customer_id
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

active_customers as (

    select * from customer_periods
    where {{ meets_activity_threshold('activity_count') }}

),

period_counts as (

    select
        period_grain,
        period_start,
        count(*) as active_customers
    from active_customers
    group by period_grain, period_start

),

periods as (

    {%- for grain in grains %}
    select
        period_counts.period_grain,
        period_counts.period_start,
        period_counts.active_customers,
        {%- if grain == 'week' %}
        7 as period_days,
        {%- else %}
        {{ dbt.datediff('period_counts.period_start', dbt.dateadd('month', 1, 'period_counts.period_start'), 'day') }}
            as period_days,
        {%- endif %}
        {{ period_is_observed('period_counts.period_start', 0, 'as_of.as_of_date', grain) }} as is_period_complete
    from period_counts
    cross join as_of
    where period_counts.period_grain = '{{ grain }}'
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

by_active_days as (

    select
        period_grain,
        period_start,
        active_days,
        count(*) as customers
    from active_customers
    group by period_grain, period_start, active_days

),

day_counts as (

    select n + 1 as active_days from ({{ integer_series(31) }}) as series

),

grid as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_days,
        periods.active_customers,
        periods.is_period_complete,
        day_counts.active_days
    from periods
    inner join day_counts
        on periods.period_days >= day_counts.active_days

),

counted as (

    select
        grid.period_grain,
        grid.period_start,
        grid.period_days,
        grid.active_customers,
        grid.is_period_complete,
        grid.active_days,
        coalesce(by_active_days.customers, 0) as customers
    from grid
    left join by_active_days
        on
            grid.period_grain = by_active_days.period_grain
            and grid.period_start = by_active_days.period_start
            and grid.active_days = by_active_days.active_days

),

final as (

    select
        counted.period_grain,
        counted.period_start,
        cast(counted.period_days as {{ dbt.type_int() }}) as period_days,
        cast(counted.active_days as {{ dbt.type_int() }}) as active_days,
        cast(counted.customers as {{ dbt.type_int() }}) as customers,
        cast(counted.active_customers as {{ dbt.type_int() }}) as active_customers,
        {{ rate('counted.customers', 'counted.active_customers') }} as share_of_active_customers,
        cast(sum(counted.customers) over (
            partition by counted.period_grain, counted.period_start
            order by counted.active_days desc
            rows between unbounded preceding and current row
        ) as {{ dbt.type_int() }}) as customers_k_or_more,
        {{ rate(
            'sum(counted.customers) over (partition by counted.period_grain, counted.period_start'
            ~ ' order by counted.active_days desc rows between unbounded preceding and current row)',
            'counted.active_customers') }} as share_k_or_more,
        -- false while the period runs past the as-of date: later days can still add activity
        counted.is_period_complete
    from counted

)

select * from final
