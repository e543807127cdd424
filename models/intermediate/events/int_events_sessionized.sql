-- One row per valid event with its session. The tracker's session id is used where
-- the raw event has one; other events of a person start a new session after more than
-- `session_timeout_minutes` of inactivity (a gap of exactly the timeout continues it).
with events as (

    select * from {{ ref('int_events_stitched') }}

),

untracked as (

    select
        event_id,
        person_id,
        occurred_at,
        lag(occurred_at) over (
            partition by person_id
            order by occurred_at, event_id
        ) as previous_occurred_at
    from events
    where source_session_id is null

),

untracked_starts as (

    select
        event_id,
        person_id,
        occurred_at,
        case
            when {{ starts_new_session('occurred_at', 'previous_occurred_at') }} then 1
            else 0
        end as is_session_start
    from untracked

),

untracked_numbered as (

    select
        event_id,
        sum(is_session_start) over (
            partition by person_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as derived_session_number
    from untracked_starts

),

final as (

    select
        events.event_id,
        events.person_id,
        events.customer_id,
        events.anonymous_id,
        events.is_stitched,
        events.event_name,
        events.occurred_at,
        events.channel,
        events.platform,
        events.source_session_id is not null as is_tracker_session,
        untracked_numbered.derived_session_number,
        {{ dbt.hash(dbt.concat([
            'events.person_id',
            "'|'",
            "coalesce(events.source_session_id, 'derived-' || cast(untracked_numbered.derived_session_number as "
                ~ dbt.type_string() ~ "))",
        ])) }} as session_id
    from events
    left join untracked_numbered
        on events.event_id = untracked_numbered.event_id

)

select * from final
