-- One row per move from one event to the next inside an inactivity session (with
-- '(session start)' and '(session end)' as the ends): how many times it happened and how
-- many people made it. The user-path view: every behaviour's sources and destinations.
with session_events as (

    select * from {{ ref('int_session_event_sequence') }}

),

moves as (

    select
        person_id,
        coalesce(previous_event_name, '(session start)') as from_event_name,
        event_name as to_event_name
    from session_events

    union all

    select
        person_id,
        event_name as from_event_name,
        '(session end)' as to_event_name
    from session_events
    where next_event_name is null

),

move_counts as (

    select
        from_event_name,
        to_event_name,
        count(*) as transition_count,
        count(distinct person_id) as people
    from moves
    group by from_event_name, to_event_name

),

final as (

    select
        from_event_name,
        to_event_name,
        cast(transition_count as {{ dbt.type_int() }}) as transition_count,
        cast(people as {{ dbt.type_int() }}) as people,
        {{ rate('transition_count', 'sum(transition_count) over (partition by from_event_name)') }}
            as share_of_from_event
    from move_counts

)

select * from final
