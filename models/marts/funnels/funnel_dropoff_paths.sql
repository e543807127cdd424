-- One row per funnel, step dropped at, step and move of the paths that follow a drop-off:
-- for each person whose counted attempt (int_funnel_person_best_attempts) stopped at step
-- k before the funnel's last, the up to `path_max_events` (default 5) events after their
-- step-k event in its session (a positional Sankey per drop-off step; a session that ends
-- sooner takes a last move to '(session end)'). The people counted at step_index 1 of a
-- drop-off step are funnel_conversion's people who stopped there; attempts whose window
-- is still open count, as they do there.
with best_attempt_steps as (

    select * from {{ ref('int_funnel_person_best_attempts') }}

),

funnel_steps as (

    select * from {{ ref('int_funnel_steps') }}

),

person_events as (

    select * from {{ ref('int_person_events') }}

),

session_events as (

    select * from {{ ref('int_session_event_sequence') }}

),

-- each counted attempt that stopped before the last step, at its furthest step's event
-- and that event's session
dropped_sessions as (

    select
        best.funnel_name,
        best.person_id,
        best.furthest_step as dropped_at_step,
        best.step_at as dropped_at,
        events.session_id
    from best_attempt_steps as best
    inner join funnel_steps
        on
            best.funnel_name = funnel_steps.funnel_name
            and best.step_number = funnel_steps.step_number
    inner join person_events as events
        on best.step_event_id = events.event_id
    where
        best.step_number = best.furthest_step
        and best.furthest_step < funnel_steps.step_count

),

-- the path starts after the last event of that session at or before the step's time
anchors as (

    select
        dropped_sessions.funnel_name,
        dropped_sessions.dropped_at_step,
        dropped_sessions.person_id,
        dropped_sessions.session_id,
        max(session_events.position_in_session) as anchor_position
    from dropped_sessions
    inner join session_events
        on
            dropped_sessions.person_id = session_events.person_id
            and dropped_sessions.session_id = session_events.session_id
            and dropped_sessions.dropped_at >= session_events.occurred_at
    group by
        dropped_sessions.funnel_name,
        dropped_sessions.dropped_at_step,
        dropped_sessions.person_id,
        dropped_sessions.session_id

),

moves as (

    {{ path_moves_after('anchors', 'session_events', ['funnel_name', 'dropped_at_step']) | indent(4) }}

),

move_counts as (

    select
        funnel_name,
        dropped_at_step,
        step_index,
        from_event_name,
        to_event_name,
        count(distinct person_id) as people
    from moves
    group by funnel_name, dropped_at_step, step_index, from_event_name, to_event_name

),

dropped_people as (

    select
        funnel_name,
        dropped_at_step,
        count(*) as people
    from anchors
    group by funnel_name, dropped_at_step

),

final as (

    select
        move_counts.funnel_name,
        move_counts.dropped_at_step,
        funnel_steps.step_name as dropped_at_step_name,
        move_counts.step_index,
        move_counts.from_event_name,
        move_counts.to_event_name,
        cast(move_counts.people as {{ dbt.type_int() }}) as people,
        {{ rate('move_counts.people', 'dropped_people.people') }} as share_of_dropped_people,
        cast(row_number() over (
            partition by move_counts.funnel_name, move_counts.dropped_at_step, move_counts.step_index
            order by move_counts.people desc, move_counts.from_event_name asc, move_counts.to_event_name asc
        ) as {{ dbt.type_int() }}) as move_rank
    from move_counts
    inner join dropped_people
        on
            move_counts.funnel_name = dropped_people.funnel_name
            and move_counts.dropped_at_step = dropped_people.dropped_at_step
    inner join funnel_steps
        on
            move_counts.funnel_name = funnel_steps.funnel_name
            and move_counts.dropped_at_step = funnel_steps.step_number

)

select * from final
