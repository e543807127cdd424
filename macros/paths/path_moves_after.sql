{#- The moves of paths that start at an anchor event: for each row of `anchors` (person_id,
    session_id, anchor_position: a position in int_session_event_sequence, and the
    `group_columns`), the up to path_max_events() events after the anchor in its session,
    as moves numbered by step_index (1 = from the anchor to the next event). A path whose
    session ends first gets one last move to '(session end)' (as in event_transitions),
    when it still has a step to spare. One row per anchor and move: group_columns,
    person_id, session_id, step_index, from_event_name, to_event_name. The one definition
    of "the path after an event" (paths from a start event and after a funnel drop-off). -#}
{% macro path_moves_after(anchors, session_events, group_columns=[]) %}
{%- set depth = path_max_events() -%}
    select
        {%- for column in group_columns %}
        anchors.{{ column }},
        {%- endfor %}
        anchors.person_id,
        anchors.session_id,
        cast(
            path_events.position_in_session - anchors.anchor_position
            + case when move_kinds.is_session_end then 1 else 0 end
            as {{ dbt.type_int() }}
        ) as step_index,
        case
            when move_kinds.is_session_end then path_events.event_name
            else path_events.previous_event_name
        end as from_event_name,
        case
            when move_kinds.is_session_end then '(session end)'
            else path_events.event_name
        end as to_event_name
    from {{ anchors }} as anchors
    inner join {{ session_events }} as path_events
        on
            anchors.person_id = path_events.person_id
            and anchors.session_id = path_events.session_id
            and anchors.anchor_position <= path_events.position_in_session
            and anchors.anchor_position + {{ depth }} >= path_events.position_in_session
    -- each event is the move into it; a session's last event also the move out of it
    cross join (
        select false as is_session_end
        union all
        select true as is_session_end
    ) as move_kinds
    where
        (not move_kinds.is_session_end and path_events.position_in_session > anchors.anchor_position)
        or (
            move_kinds.is_session_end
            and path_events.next_event_name is null
            and path_events.position_in_session < anchors.anchor_position + {{ depth }}
        )
{%- endmacro %}
