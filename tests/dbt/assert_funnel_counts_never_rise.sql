-- In every funnel (and every entry week, trend period and breakdown value), a step is never reached by
-- more people than the step before it, and step 1 is reached by everyone who entered.
-- Returns the offending rows.
with all_steps as (

    select
        'overall' as slice,
        '' as slice_value,
        funnel_name,
        step_number,
        people_entered,
        people_reached
    from {{ ref('funnel_conversion') }}

    union all

    select
        'week' as slice,
        cast(entry_week_start as {{ dbt.type_string() }}) as slice_value,
        funnel_name,
        step_number,
        people_entered,
        people_reached
    from {{ ref('funnel_conversion_by_week') }}

    union all

    select
        {{ dbt.concat(["'trend:'", 'period_grain']) }} as slice,
        cast(period_start as {{ dbt.type_string() }}) as slice_value,
        funnel_name,
        step_number,
        people_entered,
        people_reached
    from {{ ref('funnel_conversion_trends') }}

    union all

    select
        {{ dbt.concat(['breakdown_dimension', "':'", 'breakdown_attribution']) }} as slice,
        breakdown_value as slice_value,
        funnel_name,
        step_number,
        people_entered,
        people_reached
    from {{ ref('funnel_conversion_by_breakdown') }}

),

compared as (

    select
        all_steps.*,
        lag(all_steps.people_reached) over (
            partition by all_steps.slice, all_steps.slice_value, all_steps.funnel_name
            order by all_steps.step_number
        ) as previous_people_reached
    from all_steps

)

select *
from compared
where
    people_reached > previous_people_reached
    or (step_number = 1 and people_reached != people_entered)
