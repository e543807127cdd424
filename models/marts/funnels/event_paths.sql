-- One row per distinct path into the goal event (`path_goal_event`, default a completed
-- order): the up to `path_max_events` (default 5) events before it in the same inactivity
-- session, oldest first, how often the path occurred and how many people took it. A path
-- that reaches back to the session's first event starts with '(session start)'.
{%- set goal = var('path_goal_event', 'order_completed') -%}
{%- set depth = var('path_max_events', 5) -%}
{%- if depth is not number or depth < 1 or depth > 20 -%}
    {{ exceptions.raise_compiler_error("path_max_events must be a whole number from 1 to 20, got " ~ depth) }}
{%- endif %}
with session_events as (

    select * from {{ ref('int_session_event_sequence') }}

),

lookback as (

    select
        {%- for back in range(depth, 0, -1) %}
            lag(event_name, {{ back }}) over (
                partition by person_id, session_number
                order by position_in_session
            ) as event_before_{{ back }},
        {%- endfor %}
        person_id,
        event_name,
        position_in_session
    from session_events

),

goal_paths as (

    select
        person_id,
        position_in_session <= {{ depth + 1 }} as starts_at_session_start,
        cast(least(position_in_session - 1, {{ depth }}) as {{ dbt.type_int() }}) as events_before_goal,
        concat_ws(
            ' > ',
            case when position_in_session <= {{ depth + 1 }} then '(session start)' end,
            {%- for back in range(depth, 0, -1) %}
                event_before_{{ back }},
            {%- endfor %}
            event_name
        ) as event_path
    from lookback
    where event_name = '{{ goal | replace("'", "''") }}'

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
        '{{ goal | replace("'", "''") }}' as goal_event_name,
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
