-- One row per goal event (`path_goal_event`, default a completed order): the up to
-- `path_max_events` (default 5) events before it in the same session, oldest
-- first, as one path string. The compact table event_paths counts: goal events are a
-- small share of all events, and only changed people are recomputed.
-- Incremental by person: recomputes the people the change log (int_person_stream_changes)
-- listed after this model's latest run, and replaces their stored rows. Changing the
-- path vars needs --full-refresh.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config()) }}
{%- set goal = var('path_goal_event', 'order_completed') -%}
{%- set depth = path_max_events() %}

with {{ changed_people_ctes(ref('int_session_event_sequence'), 'session_events') }}

lookback as (

    select
        {%- for back in range(depth, 0, -1) %}
        lag(event_name, {{ back }}) over (
            partition by session_id
            order by position_in_session
        ) as event_before_{{ back }},
        {%- endfor %}
        person_id,
        session_id,
        event_id,
        event_name,
        position_in_session
    from session_events

),

final as (

    select
        person_id,
        session_id,
        event_id,
        position_in_session <= {{ depth + 1 }} as starts_at_session_start,
        cast(least(position_in_session - 1, {{ depth }}) as {{ dbt.type_int() }}) as events_before_goal,
        concat_ws(
            ' > ',
            case when position_in_session <= {{ depth + 1 }} then '(session start)' end,
            {%- for back in range(depth, 0, -1) %}
            event_before_{{ back }},
            {%- endfor %}
            event_name
        ) as event_path,
        {{ run_stamp() }} as processed_at
    from lookback
    where event_name = {{ sql_string_literal(goal) }}

)

select * from final
