-- One row per churn episode: a customer went `churn_days` days without qualifying
-- activity after `last_activity_date`. They churned on `churned_on` = last activity
-- date + churn_days (the first day on which the threshold is reached), and were won back
-- on `reactivated_on`, their next activity, if any. A gap of exactly churn_days that ends
-- in activity on the churn day is not a churn: they were active that day.
with activity_days as (

    select * from {{ ref('int_customer_activity_days') }}

),

thresholds as (

    select * from {{ ref('int_customer_churn_thresholds') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

gaps as (

    select
        activity_days.customer_id,
        activity_days.activity_date as last_activity_date,
        lead(activity_days.activity_date) over (
            partition by activity_days.customer_id
            order by activity_days.activity_date
        ) as next_activity_date,
        thresholds.churn_days
    from activity_days
    -- every active customer has a threshold (relationships test on activity days)
    inner join thresholds
        on activity_days.customer_id = thresholds.customer_id

),

with_churn_date as (

    select
        customer_id,
        last_activity_date,
        next_activity_date,
        churn_days,
        cast({{ dbt.dateadd('day', 'churn_days', 'last_activity_date') }} as date) as churned_on
    from gaps

),

final as (

    select
        with_churn_date.customer_id,
        with_churn_date.last_activity_date,
        with_churn_date.churn_days,
        with_churn_date.churned_on,
        with_churn_date.next_activity_date as reactivated_on
    from with_churn_date
    cross join as_of
    where
        (with_churn_date.next_activity_date is null and with_churn_date.churned_on <= as_of.as_of_date)
        or with_churn_date.churned_on < with_churn_date.next_activity_date

)

select * from final
