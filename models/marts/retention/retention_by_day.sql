-- One row per retention type per breakdown (`(all)` and each attribute of var
-- `retention_breakdowns`, by value) per cohort (grain `day`: customers whose entry fell
-- on that date; grain `week`: in that Monday-based week) per day number N of var
-- `retention_days`. Entries: `first_time` = the first start event (var
-- `retention_start_events`); `recurring` = every day with one (Amplitude's and
-- PostHog's recurring retention). Cohort size and, for three measures, retained
-- customers and rate:
--   on day N           returned on exactly day N;
--   within N days      returned on any day 1..N (cumulative);
--   on or after day N  returned on day N or later (unbounded), among members observed
--                      for at least N days only.
-- `is_complete` is true when every member has been observed through day N.
with windows as (

    select * from {{ ref('int_customer_retention_windows') }}
    where retention_measure in ('on', 'within', 'on_or_after')

),

cohorts as (

    {{ retention_cohort_rows('windows', ['customer_id', 'retention_measure', 'day_number']) }}

),

split as (

    {{ retention_breakdown_rows('cohorts', ['retention_type', 'cohort_grain', 'cohort_start_date',
        'customer_id', 'retention_measure', 'day_number', 'returned', 'observed']) }}

),

aggregated as (

    select
        retention_type,
        breakdown,
        breakdown_value,
        cohort_grain,
        cohort_start_date,
        day_number,
        -- each member has exactly one row per measure and N
        sum(case when retention_measure = 'on' then 1 else 0 end) as cohort_size,
        sum(case when retention_measure = 'on' then observed else 0 end) as observed_customers,
        sum(case when retention_measure = 'on' then returned else 0 end) as on_day_retained,
        sum(case when retention_measure = 'within' then returned else 0 end) as within_retained,
        sum(case when retention_measure = 'on_or_after' then observed else 0 end) as on_or_after_eligible,
        sum(case when retention_measure = 'on_or_after' then observed * returned else 0 end)
            as on_or_after_retained
    from split
    group by retention_type, breakdown, breakdown_value, cohort_grain, cohort_start_date, day_number

),

final as (

    select
        cast(retention_type as {{ dbt.type_string() }}) as retention_type,
        cast(breakdown as {{ dbt.type_string() }}) as breakdown,
        cast(breakdown_value as {{ dbt.type_string() }}) as breakdown_value,
        cast(cohort_grain as {{ dbt.type_string() }}) as cohort_grain,
        cohort_start_date,
        day_number,
        cast(cohort_size as {{ dbt.type_int() }}) as cohort_size,
        cast(on_day_retained as {{ dbt.type_int() }}) as on_day_retained,
        {{ rate('on_day_retained', 'cohort_size') }} as on_day_retention_rate,
        cast(within_retained as {{ dbt.type_int() }}) as within_retained,
        {{ rate('within_retained', 'cohort_size') }} as within_retention_rate,
        cast(on_or_after_eligible as {{ dbt.type_int() }}) as on_or_after_eligible,
        cast(on_or_after_retained as {{ dbt.type_int() }}) as on_or_after_retained,
        {{ rate('on_or_after_retained', 'on_or_after_eligible') }} as on_or_after_retention_rate,
        observed_customers = cohort_size as is_complete
    from aggregated

)

select * from final
