-- Every session holding the start event (`path_start_event`) is one path with exactly one
-- first move: event_paths_from_start's step-1 path counts add up to those sessions,
-- counted from the person stream itself. Returns a row when they differ.
with path_starts as (

    select coalesce(sum(path_count), 0) as paths
    from {{ ref('event_paths_from_start') }}
    where step_index = 1

),

start_sessions as (

    select count(*) as sessions
    from (
        select distinct
            person_id,
            session_id
        from {{ ref('int_person_events') }}
        where event_name = {{ sql_string_literal(var('path_start_event', 'product_view')) }}
    ) as sessions_with_start

)

select
    path_starts.paths,
    start_sessions.sessions
from path_starts
cross join start_sessions
where path_starts.paths != start_sessions.sessions
