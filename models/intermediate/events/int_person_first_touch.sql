-- One row per person (identified customer or anonymous visitor) with events on or
-- before the as-of date: when they were first seen, their first-touch channel and
-- platform (the earliest stitched event that carries a channel: trackers record it on
-- the landing event), and how many sessions and events they had. The one definition of
-- first touch.
-- Incremental by person: recomputes, from all their events, the people the change log
-- (int_person_stream_changes) listed since this model's latest run, and replaces their
-- stored rows; int_sessions is built from the same events, so it needs no trigger of its
-- own, nor does the as-of filter (DECISIONS.md, Incremental runs).
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config()) }}
{%- set touch_order = ['events.occurred_at', 'events.event_id'] %}

with {{ changed_people_ctes(ref('int_events_sessionized'), 'events') }}

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

-- sessions started on or before the as-of date, which are the sessions with an event
-- then (a session starts at its first event). A session belongs to one person (its id
-- hashes the person), so counting int_sessions' rows replaces a count(distinct) of
-- session ids over every event, most of this model's cost
sessions_started as (

    select
        sessions.person_id,
        count(*) as session_count
    from {{ ref('int_sessions') }} as sessions
    inner join as_of
        on {{ on_or_before_as_of('sessions.started_at', 'as_of.as_of_date') }}
    {%- if is_incremental() %}
    inner join changed_people
        on sessions.person_id = changed_people.person_id
    {%- endif %}
    group by sessions.person_id

),

-- one pass over the person's events: the first touch is the earliest event (then event
-- id) that has a channel, taken by an ordered aggregate over those events instead of
-- ranking them in a window and joining that back
activity as (

    select
        events.person_id,
        max(events.customer_id) as customer_id,
        min(events.occurred_at) as first_seen_at,
        {{ value_of_earliest('events.channel', touch_order, 'events.channel is not null') }}
            as first_touch_channel,
        {{ value_of_earliest('events.platform', touch_order, 'events.channel is not null') }}
            as first_touch_platform,
        count(*) as event_count
    from events
    cross join as_of
    where {{ on_or_before_as_of('events.occurred_at', 'as_of.as_of_date') }}
    group by events.person_id

),

final as (

    select
        activity.person_id,
        activity.customer_id,
        activity.first_seen_at,
        activity.first_touch_channel,
        activity.first_touch_platform,
        sessions_started.session_count,
        activity.event_count,
        {{ run_stamp() }} as processed_at
    from activity
    left join sessions_started
        on activity.person_id = sessions_started.person_id

)

select * from final
