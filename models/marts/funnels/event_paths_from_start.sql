-- One row per step and move of the paths that start at the first `path_start_event`
-- (default product_view) of each session: where people go next, event by event, up to
-- `path_max_events` (default 5) events after the start (a positional Sankey: step_index
-- k is the move from the path's event k - 1 to event k, the start being event 0). A path
-- whose session ends sooner takes a last move to '(session end)'. One path per session:
-- a later start event in the same session is part of the path, not a new one.
{%- set start_event = var('path_start_event', 'product_view') %}
with session_events as (

    select * from {{ ref('int_session_event_sequence') }}

),

-- each session's first start event
anchors as (

    select
        person_id,
        session_id,
        min(position_in_session) as anchor_position
    from session_events
    where event_name = {{ sql_string_literal(start_event) }}
    group by person_id, session_id

),

moves as (

    {{ path_moves_after('anchors', 'session_events') | indent(4) }}

),

move_counts as (

    select
        step_index,
        from_event_name,
        to_event_name,
        count(*) as path_count,
        count(distinct person_id) as people
    from moves
    group by step_index, from_event_name, to_event_name

),

path_totals as (

    select count(*) as paths
    from anchors

),

final as (

    select
        {{ sql_string_literal(start_event) }} as start_event_name,
        move_counts.step_index,
        move_counts.from_event_name,
        move_counts.to_event_name,
        cast(move_counts.path_count as {{ dbt.type_int() }}) as path_count,
        cast(move_counts.people as {{ dbt.type_int() }}) as people,
        {{ rate('move_counts.path_count', 'path_totals.paths') }} as share_of_paths,
        cast(row_number() over (
            partition by move_counts.step_index
            order by move_counts.path_count desc, move_counts.from_event_name asc, move_counts.to_event_name asc
        ) as {{ dbt.type_int() }}) as move_rank
    from move_counts
    cross join path_totals

)

select * from final
