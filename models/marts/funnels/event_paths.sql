-- One row per distinct path into the goal event (`path_goal_event`, default a completed
-- order): the up to `path_max_events` (default 5) events before it in the same inactivity
-- session, oldest first, how often the path occurred and how many people took it. A path
-- that reaches back to the session's first event starts with '(session start)'. The paths
-- of single goal events are int_goal_event_paths.
{%- set goal = var('path_goal_event', 'order_completed') %}
with goal_paths as (

    select * from {{ ref('int_goal_event_paths') }}

),

path_counts as (

    select
        event_path,
        starts_at_session_start,
        events_before_goal,
        count(*) as path_count,
        count(distinct person_id) as people
    from goal_paths
    group by event_path, starts_at_session_start, events_before_goal

),

final as (

    select
        {{ sql_string_literal(goal) }} as goal_event_name,
        event_path,
        events_before_goal,
        starts_at_session_start,
        cast(path_count as {{ dbt.type_int() }}) as path_count,
        cast(people as {{ dbt.type_int() }}) as people,
        {{ rate('path_count', 'sum(path_count) over ()') }} as share_of_goal_events,
        cast(row_number() over (order by path_count desc, people desc, event_path asc) as {{ dbt.type_int() }})
            as path_rank
    from path_counts

)

select * from final
