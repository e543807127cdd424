-- One row per month from the first month with activity to the month holding the
-- as-of date: customers entering churn, the churned pool at the start of the month,
-- customers reactivated (won back: churned, then active again), the reactivation rate
-- (reactivated / customers churned at any time in the month), and how many
-- reactivations had a campaign touch (var `campaign_events`) in the `winback_touch_days`
-- days before the reactivation, the reactivation day included.
{%- set touch_days = var('winback_touch_days', 14) %}
{%- if touch_days is not number or touch_days < 0 or touch_days != touch_days | int %}
    {{ exceptions.raise_compiler_error("winback_touch_days must be a whole number >= 0, got " ~ touch_days) }}
{%- endif %}

with episodes as (

    select * from {{ ref('int_customer_churn_episodes') }}

),

activity_days as (

    select * from {{ ref('int_customer_activity_days') }}

),

touches as (

    select distinct
        customer_id,
        activity_date as touched_on
    from {{ ref('int_customer_events_daily') }}
    where {{ event_name_in('event_name', var('campaign_events'), 'campaign_events') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

first_month as (

    select cast({{ dbt.date_trunc('month', 'min(activity_date)') }} as date) as first_month
    from activity_days

),

series as (

    {{ integer_series(periods_series_size(),
        'select ' ~ period_number('first_month.first_month', 'as_of.as_of_date', 'month')
        ~ ' from first_month cross join as_of') }}

),

months as (

    select
        cast({{ dbt.dateadd('month', 'series.n', 'first_month.first_month') }} as date) as month_start_date,
        cast({{ dbt.dateadd('month', 'series.n + 1', 'first_month.first_month') }} as date) as next_month_start_date
    from first_month
    cross join as_of
    inner join series
        on series.n <= {{ period_number('first_month.first_month', 'as_of.as_of_date', 'month') }}

),

reactivations as (

    select
        episodes.customer_id,
        episodes.reactivated_on,
        max(case when touches.touched_on is not null then 1 else 0 end) as had_campaign_touch
    from episodes
    left join touches
        on
            episodes.customer_id = touches.customer_id
            and episodes.reactivated_on >= touches.touched_on
            and touches.touched_on >= {{ dbt.dateadd('day', -1 * touch_days, 'episodes.reactivated_on') }}
    where episodes.reactivated_on is not null
    group by episodes.customer_id, episodes.reactivated_on

),

churn_counts as (

    select
        months.month_start_date,
        count(distinct case
            when episodes.churned_on >= months.month_start_date
                and episodes.churned_on < months.next_month_start_date
                then episodes.customer_id
        end) as customers_entering_churn,
        count(distinct case
            when episodes.churned_on < months.month_start_date
                and (episodes.reactivated_on is null or episodes.reactivated_on >= months.month_start_date)
                then episodes.customer_id
        end) as churned_at_month_start
    from months
    left join episodes
        on
            months.next_month_start_date > episodes.churned_on
            and (episodes.reactivated_on is null or months.month_start_date <= episodes.reactivated_on)
    group by months.month_start_date

),

reactivation_counts as (

    select
        months.month_start_date,
        count(distinct reactivations.customer_id) as reactivated_customers,
        count(distinct case when reactivations.had_campaign_touch = 1 then reactivations.customer_id end)
            as campaign_touched_reactivations
    from months
    inner join reactivations
        on
            months.month_start_date <= reactivations.reactivated_on
            and months.next_month_start_date > reactivations.reactivated_on
    group by months.month_start_date

),

final as (

    select
        churn_counts.month_start_date as activity_month,
        cast(churn_counts.customers_entering_churn as {{ dbt.type_int() }}) as customers_entering_churn,
        cast(churn_counts.churned_at_month_start as {{ dbt.type_int() }}) as churned_at_month_start,
        cast(coalesce(reactivation_counts.reactivated_customers, 0) as {{ dbt.type_int() }})
            as reactivated_customers,
        {{ rate('coalesce(reactivation_counts.reactivated_customers, 0)',
                'churn_counts.churned_at_month_start + churn_counts.customers_entering_churn') }}
            as reactivation_rate,
        cast(coalesce(reactivation_counts.campaign_touched_reactivations, 0) as {{ dbt.type_int() }})
            as campaign_touched_reactivations
    from churn_counts
    left join reactivation_counts
        on churn_counts.month_start_date = reactivation_counts.month_start_date

)

select * from final
