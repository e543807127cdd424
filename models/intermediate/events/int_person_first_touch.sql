-- One row per person (identified customer or anonymous visitor) with events on or
-- before the as-of date: when they were first seen, their first-touch channel and
-- platform (the earliest stitched event that carries a channel: trackers record it on
-- the landing event), and how many sessions and events they had. The one definition of
-- first touch.
-- Incremental by person: recomputes the people int_events_sessionized restamped (it
-- restamps a person's whole history when any of it changes). The as-of filter needs no
-- trigger of its own: see DECISIONS.md, Incremental runs.
{{ config(**incremental_by_person_config('first_seen_at')) }}
{%- set since = incremental_stored_max('processed_at') %}
with {{ recomputed_people_ctes(ref('int_events_sessionized'), since, 'events') }}

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

observed as (

    select events.*
    from events
    cross join as_of
    where {{ on_or_before_as_of('events.occurred_at', 'as_of.as_of_date') }}
),

activity as (

    select
        person_id,
        max(customer_id) as customer_id,
        min(occurred_at) as first_seen_at,
        count(distinct session_id) as session_count,
        count(*) as event_count
    from observed
    group by person_id

),

touches as (

    select
        person_id,
        channel,
        platform,
        row_number() over (
            partition by person_id
            order by occurred_at, event_id
        ) as touch_rank
    from observed
    where channel is not null

),

final as (

    select
        activity.person_id,
        activity.customer_id,
        activity.first_seen_at,
        touches.channel as first_touch_channel,
        touches.platform as first_touch_platform,
        activity.session_count,
        activity.event_count,
        {{ run_stamp() }} as processed_at
    from activity
    left join touches
        on
            activity.person_id = touches.person_id
            and touches.touch_rank = 1

)

select * from final
{%- if since %}
{{ person_markers('changed_people') }}
{%- endif %}
