-- One row per retention type (`first_time`, `recurring`) per breakdown (`(all)` and each
-- attribute of var `retention_breakdowns`, by value) per cohort grain (`week`, `month`)
-- per cohort start per period number, from period 0 (the cohort's own period) to the
-- period holding the as-of date. Cohort: the customers with an entry in the period
-- (int_customer_cohort_entries: first_time = their cohort date, var `cohort_basis`;
-- recurring = every period with the basis event). Active: at least `activity_min_count`
-- qualifying activities in the period. Unbounded: active in this period or any later
-- one. Revenue: completed orders of cohort members in the period. Grains: var
-- `cohort_grains` (default both).
{%- set grains = choice_list_var('cohort_grains', ['week', 'month'], ['week', 'month']) %}
with entries as (

    select * from {{ ref('int_customer_cohort_entries') }}

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
        'select ' ~ dbt.datediff('min(entries.cohort_start_date)', 'max(as_of.as_of_date)', 'day')
        ~ ' / 7 + 1 from entries cross join as_of') }}

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
        entries.retention_type,
        entries.cohort_grain,
        entries.cohort_start_date,
        entries.customer_id,
        case entries.cohort_grain
            {%- for grain in grains %}
            when '{{ grain }}'
                then {{ period_number('entries.cohort_start_date', 'member_days.activity_date', grain) }}
            {%- endfor %}
        end as period_number,
        member_days.activity_count,
        member_days.revenue
    from entries
    inner join member_days
        on
            entries.customer_id = member_days.customer_id
            -- activity before the entry date does not count, even in the same period
            and entries.entry_date <= member_days.activity_date

),

member_periods as (

    select
        retention_type,
        cohort_grain,
        cohort_start_date,
        customer_id,
        period_number,
        {{ meets_activity_threshold('sum(activity_count)') }} as is_active,
        sum(revenue) as revenue
    from member_activity
    group by retention_type, cohort_grain, cohort_start_date, customer_id, period_number

),

-- each member's last active period, which the unbounded counts read
member_periods_marked as (

    select
        retention_type,
        cohort_grain,
        cohort_start_date,
        customer_id,
        period_number,
        is_active,
        revenue,
        max(case when is_active then period_number end) over (
            partition by retention_type, cohort_grain, cohort_start_date, customer_id
        ) as last_active_period
    from member_periods

),

-- each entry once for (all) and once per breakdown attribute, split after the per-member
-- work so the breakdowns cost a join on members, not on their activity days
entry_breakdowns as (

    {{ retention_breakdown_rows('entries',
        ['retention_type', 'cohort_grain', 'cohort_start_date', 'customer_id']) }}

),

cohort_sizes as (

    select
        retention_type,
        breakdown,
        breakdown_value,
        cohort_grain,
        cohort_start_date,
        count(*) as cohort_size
    from entry_breakdowns
    group by retention_type, breakdown, breakdown_value, cohort_grain, cohort_start_date

),

spine as (

    select
        cohort_sizes.retention_type,
        cohort_sizes.breakdown,
        cohort_sizes.breakdown_value,
        cohort_sizes.cohort_grain,
        cohort_sizes.cohort_start_date,
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
        entry_breakdowns.retention_type,
        entry_breakdowns.breakdown,
        entry_breakdowns.breakdown_value,
        entry_breakdowns.cohort_grain,
        entry_breakdowns.cohort_start_date,
        member_periods_marked.period_number,
        sum(case when member_periods_marked.is_active then 1 else 0 end) as active_customers,
        sum(member_periods_marked.revenue) as period_revenue,
        sum(
            case when member_periods_marked.period_number = member_periods_marked.last_active_period then 1 else 0 end
        ) as customers_last_active
    from member_periods_marked
    inner join entry_breakdowns
        on
            member_periods_marked.retention_type = entry_breakdowns.retention_type
            and member_periods_marked.cohort_grain = entry_breakdowns.cohort_grain
            and member_periods_marked.cohort_start_date = entry_breakdowns.cohort_start_date
            and member_periods_marked.customer_id = entry_breakdowns.customer_id
    group by
        entry_breakdowns.retention_type,
        entry_breakdowns.breakdown,
        entry_breakdowns.breakdown_value,
        entry_breakdowns.cohort_grain,
        entry_breakdowns.cohort_start_date,
        member_periods_marked.period_number

),

combined as (

    select
        spine.retention_type,
        spine.breakdown,
        spine.breakdown_value,
        spine.cohort_grain,
        spine.cohort_start_date,
        spine.period_number,
        spine.cohort_size,
        spine.as_of_date,
        coalesce(period_totals.active_customers, 0) as active_customers,
        coalesce(period_totals.period_revenue, 0) as period_revenue,
        -- active in period N or later = last active period >= N
        sum(coalesce(period_totals.customers_last_active, 0)) over (
            partition by
                spine.retention_type, spine.breakdown, spine.breakdown_value,
                spine.cohort_grain, spine.cohort_start_date
            order by spine.period_number desc
            rows between unbounded preceding and current row
        ) as unbounded_active_customers,
        sum(coalesce(period_totals.period_revenue, 0)) over (
            partition by
                spine.retention_type, spine.breakdown, spine.breakdown_value,
                spine.cohort_grain, spine.cohort_start_date
            order by spine.period_number
            rows between unbounded preceding and current row
        ) as cumulative_revenue
    from spine
    left join period_totals
        on
            spine.retention_type = period_totals.retention_type
            and spine.breakdown = period_totals.breakdown
            and spine.breakdown_value = period_totals.breakdown_value
            and spine.cohort_grain = period_totals.cohort_grain
            and spine.cohort_start_date = period_totals.cohort_start_date
            and spine.period_number = period_totals.period_number

),

final as (

    select
        retention_type,
        breakdown,
        breakdown_value,
        cast(cohort_grain as {{ dbt.type_string() }}) as cohort_grain,
        cohort_start_date,
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
