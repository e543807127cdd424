-- One row per valid event with its session. The tracker's session id is used where
-- the raw event has one; other events of a person start a new session after more than
-- `session_timeout_minutes` of inactivity (a gap of exactly the timeout continues it).
-- Incremental by person: a run recomputes the whole history of every person whose events
-- may have changed (see changed_people), so session numbers equal a full build's.
{{ config(**incremental_by_key_config('event_id')) }}
{%- set since = incremental_stored_max('processed_at') %}

with stitched as (

    select * from {{ ref('int_events_stitched') }}

),
{%- if since %}

-- events staging added or changed after this table's last run
window_events as (

    select
        event_id,
        anonymous_id,
        person_id
    from stitched
    where {{ stamped_after(since) }}

),

-- people with such events as stitched now, and people who, as stored, held one of those
-- events (a better duplicate can move it) or anonymous ids (an anonymous id that
-- identifies moves its history to the customer)
changed_people as (

    select person_id from window_events
    union
    select stored.person_id
    from {{ this }} as stored
    where stored.event_id in (select window_events.event_id from window_events)
        or stored.anonymous_id in (
            select window_events.anonymous_id from window_events
            where window_events.anonymous_id is not null
        )

),

{%- endif %}

events as (

    select stitched.*
    from stitched
    {%- if since %}
    where stitched.person_id in (select changed_people.person_id from changed_people)
    {%- endif %}

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
        ])) }} as session_id,
        {{ run_stamp() }} as processed_at
    from events
    left join untracked_numbered
        on events.event_id = untracked_numbered.event_id

)

select * from final
