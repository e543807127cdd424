-- Every customer whose first active month is on or before a month has exactly one
-- lifecycle status that month, and lifecycle_summary counts add up to them.
with lifecycle as (

    select * from {{ ref('customer_lifecycle_monthly') }}

),

months as (

    select distinct activity_month from lifecycle

),

firsts as (

    select
        customer_id,
        min(case when lifecycle_status = 'new' then activity_month end) as first_active_month
    from lifecycle
    group by customer_id

),

expected as (

    select
        months.activity_month,
        count(*) as customers
    from months
    inner join firsts
        on months.activity_month >= firsts.first_active_month
    group by months.activity_month

),

summarised as (

    select
        activity_month,
        sum(customers) as customers
    from {{ ref('lifecycle_summary') }}
    group by activity_month

)

select
    expected.activity_month,
    expected.customers as expected_customers,
    summarised.customers as summarised_customers
from expected
full outer join summarised
    on expected.activity_month = summarised.activity_month
where
    expected.customers is null
    or summarised.customers is null
    or expected.customers != summarised.customers
