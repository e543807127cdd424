-- Every customer whose first active month is on or before a month has exactly one
-- lifecycle status that month, and lifecycle_summary counts add up to them.
with expected as (

    select
        months.activity_month,
        count(*) as customers
    from (select distinct activity_month from {{ ref('customer_lifecycle_monthly') }}) as months
    inner join (
        select
            customer_id,
            min(case when lifecycle_status = 'new' then activity_month end) as first_active_month
        from {{ ref('customer_lifecycle_monthly') }}
        group by customer_id
    ) as firsts
        on firsts.first_active_month <= months.activity_month
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
