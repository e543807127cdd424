-- With order cohorts and orders as the activity (the defaults), every member bought in
-- the cohort's own period on or after their entry (first-time and recurring alike), so
-- period 0 retention is exactly 100%. Returns the cohorts
-- where it is not. Other settings make no such promise: the test then returns nothing.
{%- set order_cohorts = var('cohort_basis') == 'first_order'
    and var('activity_events') | list == ['order_completed']
    and var('activity_min_count') == 1 %}

select
    retention_type,
    breakdown,
    breakdown_value,
    cohort_grain,
    cohort_start_date,
    active_customers,
    cohort_size
from {{ ref('cohort_retention') }}
where
    period_number = 0
    and active_customers != cohort_size
    and {{ 'true' if order_cohorts else 'false' }}
