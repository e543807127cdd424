-- One row per retention type per breakdown (`(all)` and each attribute's values) per
-- cohort grain per period number: the retention curve dashboards plot, the average over complete cohorts
-- weighted by cohort size (= pooled active customers / pooled cohort sizes), so a
-- cohort of 3 does not count as much as a cohort of 3,000.
with cohorts as (

    select * from {{ ref('cohort_retention') }}
    where is_complete

),

aggregated as (

    select
        retention_type,
        breakdown,
        breakdown_value,
        cohort_grain,
        period_number,
        count(*) as cohort_count,
        sum(cohort_size) as customers,
        sum(active_customers) as active_customers,
        sum(unbounded_active_customers) as unbounded_active_customers,
        sum(cumulative_revenue) as cumulative_revenue
    from cohorts
    group by retention_type, breakdown, breakdown_value, cohort_grain, period_number

),

final as (

    select
        retention_type,
        breakdown,
        breakdown_value,
        cohort_grain,
        period_number,
        cast(cohort_count as {{ dbt.type_int() }}) as cohort_count,
        cast(customers as {{ dbt.type_int() }}) as customers,
        cast(active_customers as {{ dbt.type_int() }}) as active_customers,
        {{ rate('active_customers', 'customers') }} as retention_rate,
        {{ rate('unbounded_active_customers', 'customers') }} as unbounded_retention_rate,
        {{ divide_money('cumulative_revenue', 'customers') }} as cumulative_revenue_per_customer
    from aggregated

)

select * from final
