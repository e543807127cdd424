-- One row per cohort grain (`week`, `month`) per cohort start per first-touch channel
-- (`(all)` plus each channel) per period number, from period 0 (the cohort's own
-- period) to the period holding the as-of date. Cohort: customers whose cohort date
-- (var `cohort_basis`) falls in the period. Active: at least `activity_min_count`
-- qualifying activities in the period. Unbounded: active in this period or any later
-- one. Revenue: completed orders of cohort members in the period. Grains: var
-- `cohort_grains` (default both).
{%- set grains = grain_list_var('cohort_grains', ['week', 'month'], ['week', 'month']) %}
with members as (

    select * from {{ ref('int_customer_cohorts') }}

),

activity_days as (

    select * from {{ ref('int_customer_activity_days') }}

),

purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

-- week numbers up to the as-of date from the earliest cohort (months are fewer)
periods as (

    {{ integer_series(periods_series_size(),
        'select ' ~ dbt.datediff('min(members.cohort_date)', 'max(as_of.as_of_date)', 'day')
        ~ ' / 7 + 1 from members cross join as_of') }}

),

cohort_members as (

    {%- for grain in grains %}
    {%- for breakdown in ['all', 'channel'] %}
    select
        '{{ grain }}' as cohort_grain,
        cast({{ dbt.date_trunc(grain, 'members.cohort_date') }} as date) as cohort_start_date,
        {{ "'(all)'" if breakdown == 'all' else 'members.acquisition_channel' }} as acquisition_channel,
        members.customer_id,
        members.cohort_date
    from members
    {{ 'union all' if not loop.last }}
    {%- endfor %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

member_days as (

    -- qualifying activity and purchase revenue, one stream: a period is active on the
    -- first, and earns the second, whatever the activity definition is
    select
        customer_id,
        activity_date,
        activity_count,
        cast(0 as {{ type_money() }}) as revenue
    from activity_days

    union all

    select
        customer_id,
        purchase_date as activity_date,
        0 as activity_count,
        revenue
    from purchase_days

),

member_activity as (

    select
        cohort_members.cohort_grain,
        cohort_members.cohort_start_date,
        cohort_members.acquisition_channel,
        cohort_members.customer_id,
        case cohort_members.cohort_grain
            {%- for grain in grains %}
            when '{{ grain }}'
                then {{ period_number('cohort_members.cohort_start_date', 'member_days.activity_date', grain) }}
            {%- endfor %}
        end as period_number,
        member_days.activity_count,
        member_days.revenue
    from cohort_members
    inner join member_days
        on
            cohort_members.customer_id = member_days.customer_id
            -- activity before the cohort date does not count, even in the same period
            and cohort_members.cohort_date <= member_days.activity_date

),

member_periods as (

    select
        cohort_grain,
        cohort_start_date,
        acquisition_channel,
        customer_id,
        period_number,
        {{ meets_activity_threshold('sum(activity_count)') }} as is_active,
        sum(revenue) as revenue
    from member_activity
    group by cohort_grain, cohort_start_date, acquisition_channel, customer_id, period_number

),

last_active as (

    select
        cohort_grain,
        cohort_start_date,
        acquisition_channel,
        customer_id,
        max(case when is_active then period_number end) as last_active_period
    from member_periods
    group by cohort_grain, cohort_start_date, acquisition_channel, customer_id

),

cohort_sizes as (

    select
        cohort_grain,
        cohort_start_date,
        acquisition_channel,
        count(*) as cohort_size
    from cohort_members
    group by cohort_grain, cohort_start_date, acquisition_channel

),

spine as (

    select
        cohort_sizes.cohort_grain,
        cohort_sizes.cohort_start_date,
        cohort_sizes.acquisition_channel,
        cohort_sizes.cohort_size,
        periods.n as period_number,
        as_of.as_of_date
    from cohort_sizes
    cross join as_of
    inner join periods
        on
            periods.n <= case cohort_sizes.cohort_grain
                {%- for grain in grains %}
                when '{{ grain }}'
                    then {{ period_number('cohort_sizes.cohort_start_date', 'as_of.as_of_date', grain) }}
                {%- endfor %}
            end

),

period_totals as (

    select
        cohort_grain,
        cohort_start_date,
        acquisition_channel,
        period_number,
        sum(case when is_active then 1 else 0 end) as active_customers,
        sum(revenue) as period_revenue
    from member_periods
    group by cohort_grain, cohort_start_date, acquisition_channel, period_number

),

last_active_counts as (

    select
        cohort_grain,
        cohort_start_date,
        acquisition_channel,
        last_active_period as period_number,
        count(*) as customers_last_active
    from last_active
    where last_active_period is not null
    group by cohort_grain, cohort_start_date, acquisition_channel, last_active_period

),

combined as (

    select
        spine.cohort_grain,
        spine.cohort_start_date,
        spine.acquisition_channel,
        spine.period_number,
        spine.cohort_size,
        spine.as_of_date,
        coalesce(period_totals.active_customers, 0) as active_customers,
        coalesce(period_totals.period_revenue, 0) as period_revenue,
        -- active in period N or later = last active period >= N
        sum(coalesce(last_active_counts.customers_last_active, 0)) over (
            partition by spine.cohort_grain, spine.cohort_start_date, spine.acquisition_channel
            order by spine.period_number desc
            rows between unbounded preceding and current row
        ) as unbounded_active_customers,
        sum(coalesce(period_totals.period_revenue, 0)) over (
            partition by spine.cohort_grain, spine.cohort_start_date, spine.acquisition_channel
            order by spine.period_number
            rows between unbounded preceding and current row
        ) as cumulative_revenue
    from spine
    left join period_totals
        on
            spine.cohort_grain = period_totals.cohort_grain
            and spine.cohort_start_date = period_totals.cohort_start_date
            and spine.acquisition_channel = period_totals.acquisition_channel
            and spine.period_number = period_totals.period_number
    left join last_active_counts
        on
            spine.cohort_grain = last_active_counts.cohort_grain
            and spine.cohort_start_date = last_active_counts.cohort_start_date
            and spine.acquisition_channel = last_active_counts.acquisition_channel
            and spine.period_number = last_active_counts.period_number

),

final as (

    select
        cast(cohort_grain as {{ dbt.type_string() }}) as cohort_grain,
        cohort_start_date,
        cast(acquisition_channel as {{ dbt.type_string() }}) as acquisition_channel,
        cast(period_number as {{ dbt.type_int() }}) as period_number,
        cast(
            case cohort_grain
                {%- for grain in grains %}
                when '{{ grain }}' then {{ dbt.dateadd(grain, 'period_number', 'cohort_start_date') }}
                {%- endfor %}
            end as date
        ) as period_start_date,
        cast(cohort_size as {{ dbt.type_int() }}) as cohort_size,
        cast(active_customers as {{ dbt.type_int() }}) as active_customers,
        {{ rate('active_customers', 'cohort_size') }} as retention_rate,
        cast(unbounded_active_customers as {{ dbt.type_int() }}) as unbounded_active_customers,
        {{ rate('unbounded_active_customers', 'cohort_size') }} as unbounded_retention_rate,
        cast(period_revenue as {{ type_money() }}) as period_revenue,
        cast(cumulative_revenue as {{ type_money() }}) as cumulative_revenue,
        {{ divide_money('cumulative_revenue', 'cohort_size') }} as cumulative_revenue_per_customer,
        case cohort_grain
            {%- for grain in grains %}
            when '{{ grain }}'
                then {{ period_is_observed('cohort_start_date', 'period_number', 'as_of_date', grain) }}
            {%- endfor %}
        end as is_complete
    from combined

)

select * from final
