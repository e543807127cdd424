-- One row per person and move from one event to the next inside a session
-- (with '(session start)' and '(session end)' as the ends): how many times the person
-- made it. The compact table event_transitions adds up, so a daily run does not count
-- distinct people over every session event again.
-- Incremental by person: recomputes the people the change log (int_person_stream_changes)
-- listed after this model's latest run, and replaces their stored rows.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config()) }}

with {{ changed_people_ctes(ref('int_session_event_sequence'), 'session_events') }}

move_kinds as (

    select false as is_session_end
    union all
    select true as is_session_end

),

-- every event is the move into it, and a session's last event also the move out of it
-- to '(session end)': one read of the events through a two-row join (DuckDB would copy
-- a CTE read twice)
moves as (

    select
        session_events.person_id,
        case
            when move_kinds.is_session_end then session_events.event_name
            else coalesce(session_events.previous_event_name, '(session start)')
        end as from_event_name,
        case
            when move_kinds.is_session_end then '(session end)'
            else session_events.event_name
        end as to_event_name
    from session_events
    cross join move_kinds
    where not move_kinds.is_session_end or session_events.next_event_name is null

),

final as (

    select
        person_id,
        from_event_name,
        to_event_name,
        cast(count(*) as {{ dbt.type_int() }}) as transition_count,
        {{ run_stamp() }} as processed_at
    from moves
    group by person_id, from_event_name, to_event_name

)

select * from final
