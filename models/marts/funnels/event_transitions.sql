-- One row per move from one event to the next inside an inactivity session (with
-- '(session start)' and '(session end)' as the ends): how many times it happened and how
-- many people made it. The user-path view: every behaviour's sources and destinations.
-- Adds up int_person_event_transitions (one row per person and move).
with person_moves as (

    select * from {{ ref('int_person_event_transitions') }}

),

move_counts as (

    select
        from_event_name,
        to_event_name,
        sum(transition_count) as transition_count,
        count(*) as people
    from person_moves
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
