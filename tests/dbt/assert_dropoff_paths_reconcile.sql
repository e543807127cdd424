-- Every person who dropped off a funnel has exactly one first move in
-- funnel_dropoff_paths: per funnel and step, the people at step_index 1 add up to the
-- people of customer_funnel_progress whose furthest step it is, short of the last step.
-- Returns the funnel steps that do not reconcile.
with path_people as (

    select
        funnel_name,
        dropped_at_step,
        sum(people) as people
    from {{ ref('funnel_dropoff_paths') }}
    where step_index = 1
    group by
        funnel_name,
        dropped_at_step

),

progress_people as (

    select
        funnel_name,
        furthest_step as dropped_at_step,
        count(*) as people
    from {{ ref('customer_funnel_progress') }}
    where not has_completed_funnel
    group by
        funnel_name,
        furthest_step

)

select
    coalesce(progress_people.funnel_name, path_people.funnel_name) as funnel_name,
    coalesce(progress_people.dropped_at_step, path_people.dropped_at_step) as dropped_at_step,
    progress_people.people as progress_people,
    path_people.people as path_people
from progress_people
full outer join path_people
    on
        progress_people.funnel_name = path_people.funnel_name
        and progress_people.dropped_at_step = path_people.dropped_at_step
where
    progress_people.people is null
    or path_people.people is null
    or progress_people.people != path_people.people
