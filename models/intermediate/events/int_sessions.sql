-- One row per session: who, when, how many events, and the session's channel and
-- platform (the first non-NULL value in the session).
-- Incremental by tails: recomputes every session with an event int_events_sessionized
-- restamped, and drops the stored sessions of the recomputed stretch that are gone.
{{ config(**incremental_by_tail_config('person_id', 'ended_at', 'session_id')) }}
{%- set since = incremental_stored_max('processed_at') %}
{#- the parent is named in each CTE: DuckDB materialises a CTE read more than once #}
{%- set sessionized = ref('int_events_sessionized') %}

with
{%- if since %}

tail_starts as (

    {{ tail_starts(sessionized, since) | indent(4) }}

),

{%- endif %}

-- every event of the sessions to (re)compute
events as (

    select * from {{ sessionized }}
    {%- if since %}
    where session_id in (
        select restamped.session_id from {{ sessionized }} as restamped
        where {{ stamped_after(since) }}
    )
    {%- endif %}

),

sessions as (

    select
        session_id,
        min(person_id) as person_id,
        min(customer_id) as customer_id,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        count(*) as event_count,
        max(case when is_tracker_session then 1 else 0 end) = 1 as is_tracker_session
    from events
    group by session_id

),

first_channel as (

    select
        session_id,
        channel,
        row_number() over (
            partition by session_id
            order by occurred_at, event_id
        ) as channel_rank
    from events
    where channel is not null

),

first_platform as (

    select
        session_id,
        platform,
        row_number() over (
            partition by session_id
            order by occurred_at, event_id
        ) as platform_rank
    from events
    where platform is not null

),

final as (

    select
        sessions.session_id,
        sessions.person_id,
        sessions.customer_id,
        sessions.started_at,
        sessions.ended_at,
        sessions.event_count,
        sessions.is_tracker_session,
        first_channel.channel,
        first_platform.platform,
        {{ run_stamp() }} as processed_at
    from sessions
    left join first_channel
        on sessions.session_id = first_channel.session_id
            and first_channel.channel_rank = 1
    left join first_platform
        on sessions.session_id = first_platform.session_id
            and first_platform.platform_rank = 1

)

select * from final
{%- if since %}
{{ tail_start_rows('tail_starts', 'tail_from', 'ended_at') }}
{%- endif %}
