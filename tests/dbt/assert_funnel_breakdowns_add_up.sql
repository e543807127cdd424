-- Each first- or last-touch breakdown splits the people of a funnel step without loss or
-- double counting: the values' people_reached add up to funnel_conversion's, and
-- funnel_conversion's entrants are the people in customer_funnel_progress. A step_k
-- breakdown adds up to the people who reached step k, at step k and after (in funnels
-- without open entry, where reaching step k means having a step-k event).
with breakdown_totals as (

    select
        breakdown_dimension,
        breakdown_attribution,
        funnel_name,
        step_number,
        sum(people_reached) as people_reached
    from {{ ref('funnel_conversion_by_breakdown') }}
    group by breakdown_dimension, breakdown_attribution, funnel_name, step_number

),

overall as (

    select * from {{ ref('funnel_conversion') }}

),

open_entry_funnels as (

    select distinct funnel_name
    from {{ ref('int_funnel_steps') }}
    where is_open_entry

),

progress_people as (

    select
        funnel_name,
        count(*) as people
    from {{ ref('customer_funnel_progress') }}
    group by funnel_name

),

breakdowns as (

    select distinct
        breakdown_dimension,
        breakdown_attribution
    from {{ ref('funnel_conversion_by_breakdown') }}

)

select
    overall.funnel_name,
    overall.step_number,
    breakdowns.breakdown_dimension,
    breakdowns.breakdown_attribution
from overall
cross join breakdowns
left join breakdown_totals
    on
        breakdowns.breakdown_dimension = breakdown_totals.breakdown_dimension
        and breakdowns.breakdown_attribution = breakdown_totals.breakdown_attribution
        and overall.funnel_name = breakdown_totals.funnel_name
        and overall.step_number = breakdown_totals.step_number
left join progress_people
    on overall.funnel_name = progress_people.funnel_name
left join open_entry_funnels
    on overall.funnel_name = open_entry_funnels.funnel_name
where
    progress_people.people != overall.people_entered
    or (
        breakdowns.breakdown_attribution in ('first_touch', 'last_touch')
        and (breakdown_totals.people_reached is null or breakdown_totals.people_reached != overall.people_reached)
    )
    or (
        breakdowns.breakdown_attribution like 'step%'
        and open_entry_funnels.funnel_name is null
        and overall.step_number >= cast(substr(breakdowns.breakdown_attribution, 6) as {{ dbt.type_int() }})
        and coalesce(breakdown_totals.people_reached, 0) != overall.people_reached
    )
