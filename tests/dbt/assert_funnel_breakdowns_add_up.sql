-- Each breakdown dimension splits the people of a funnel step without loss or double
-- counting: the values' people_reached add up to funnel_conversion's, and
-- funnel_conversion's entrants are the people in customer_funnel_progress.
with breakdown_totals as (

    select
        breakdown_dimension,
        funnel_name,
        step_number,
        sum(people_reached) as people_reached
    from {{ ref('funnel_conversion_by_breakdown') }}
    group by breakdown_dimension, funnel_name, step_number

),

overall as (

    select * from {{ ref('funnel_conversion') }}

),

progress_people as (

    select
        funnel_name,
        count(*) as people
    from {{ ref('customer_funnel_progress') }}
    group by funnel_name

)

select
    overall.funnel_name,
    overall.step_number,
    breakdown_totals.breakdown_dimension
from overall
left join breakdown_totals
    on
        overall.funnel_name = breakdown_totals.funnel_name
        and overall.step_number = breakdown_totals.step_number
left join progress_people
    on overall.funnel_name = progress_people.funnel_name
where
    breakdown_totals.people_reached is null
    or breakdown_totals.people_reached != overall.people_reached
    or progress_people.people != overall.people_entered
