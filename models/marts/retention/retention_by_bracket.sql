-- One row per retention type (`first_time`, `recurring`) per breakdown (`(all)` and each
-- attribute of var `retention_breakdowns`, by value) per cohort (grain `day` or `week`,
-- as in retention_by_day) per custom day bracket [first, last] of var
-- `retention_brackets`: customers who returned on any day of the bracket, and the rate
-- over the cohort. `is_complete` is true when every member has been observed through
-- the bracket's last day.
with windows as (

    select * from {{ ref('int_customer_retention_windows') }}
    where retention_measure = 'bracket'

),

cohorts as (

    {{ retention_cohort_rows('windows', ['customer_id', 'window_first_day', 'window_last_day']) }}

),

split as (

    {{ retention_breakdown_rows('cohorts', ['retention_type', 'cohort_grain', 'cohort_start_date',
        'customer_id', 'window_first_day', 'window_last_day', 'returned', 'observed']) }}

),

aggregated as (

    select
        retention_type,
        breakdown,
        breakdown_value,
        cohort_grain,
        cohort_start_date,
        window_first_day,
        window_last_day,
        count(*) as cohort_size,
        sum(returned) as retained_customers,
        sum(observed) as observed_customers
    from split
    group by
        retention_type, breakdown, breakdown_value, cohort_grain, cohort_start_date,
        window_first_day, window_last_day

),

final as (

    select
        cast(retention_type as {{ dbt.type_string() }}) as retention_type,
        cast(breakdown as {{ dbt.type_string() }}) as breakdown,
        cast(breakdown_value as {{ dbt.type_string() }}) as breakdown_value,
        cast(cohort_grain as {{ dbt.type_string() }}) as cohort_grain,
        cohort_start_date,
        window_first_day as bracket_first_day,
        window_last_day as bracket_last_day,
        {{ dbt.concat([
            'cast(window_first_day as ' ~ dbt.type_string() ~ ')', "'-'",
            'cast(window_last_day as ' ~ dbt.type_string() ~ ')']) }} as bracket_label,
        cast(cohort_size as {{ dbt.type_int() }}) as cohort_size,
        cast(retained_customers as {{ dbt.type_int() }}) as retained_customers,
        {{ rate('retained_customers', 'cohort_size') }} as retention_rate,
        observed_customers = cohort_size as is_complete
    from aggregated

)

select * from final
