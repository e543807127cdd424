-- One row per customer with qualifying activity on or before the as-of date: their
-- churn status as of that date. Churned: no qualifying activity for their churn
-- threshold. Reactivated: churned at least once and active again since. At risk: not
-- churned, but the time since their last activity exceeds `at_risk_factor` times their
-- own typical interval between activity days (needs two or more activity days).
{%- set factor = var('at_risk_factor', 2) %}
{%- if factor is not number or factor <= 0 %}
    {{ exceptions.raise_compiler_error("at_risk_factor must be a number > 0, got " ~ factor) }}
{%- endif %}

with activity_days as (

    select * from {{ ref('int_customer_activity_days') }}

),

episodes as (

    select * from {{ ref('int_customer_churn_episodes') }}

),

thresholds as (

    select * from {{ ref('int_customer_churn_thresholds') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

activity as (

    select
        customer_id,
        min(activity_date) as first_activity_date,
        max(activity_date) as last_activity_date,
        count(*) as activity_day_count
    from activity_days
    group by customer_id

),

episode_facts as (

    select
        customer_id,
        max(case when reactivated_on is null then churned_on end) as current_churned_on,
        count(reactivated_on) as reactivation_count
    from episodes
    group by customer_id

),

measured as (

    select
        activity.customer_id,
        activity.first_activity_date,
        activity.last_activity_date,
        cast(activity.activity_day_count as {{ dbt.type_int() }}) as activity_day_count,
        cast(
            {{ dbt.datediff('activity.last_activity_date', 'as_of.as_of_date', 'day') }}
            as {{ dbt.type_int() }}
        ) as days_since_last_activity,
        case
            when activity.activity_day_count >= 2
                then cast(
                        {{ dbt.datediff('activity.first_activity_date', 'activity.last_activity_date', 'day') }}
                        as {{ type_double() }}
                    ) / (activity.activity_day_count - 1)
        end as typical_interval_days,
        thresholds.churn_days,
        episode_facts.current_churned_on,
        coalesce(episode_facts.reactivation_count, 0) as reactivation_count
    from activity
    cross join as_of
    inner join thresholds
        on activity.customer_id = thresholds.customer_id
    left join episode_facts
        on activity.customer_id = episode_facts.customer_id

),

final as (

    select
        customer_id,
        first_activity_date,
        last_activity_date,
        activity_day_count,
        days_since_last_activity,
        typical_interval_days,
        cast(churn_days as {{ dbt.type_int() }}) as churn_days,
        current_churned_on is not null as is_churned,
        current_churned_on as churned_on,
        reactivation_count > 0 as is_reactivated,
        cast(reactivation_count as {{ dbt.type_int() }}) as reactivation_count,
        (
            current_churned_on is null
            and typical_interval_days is not null
            and days_since_last_activity > {{ factor }} * typical_interval_days
        ) as is_at_risk
    from measured

)

select * from final
