-- One row per session: who, when, how many events, and the session's channel and
-- platform (the first non-NULL value in the session).
-- Incremental by the change log (int_person_stream_changes): recomputes, for each
-- person it logged since this model's latest run, every session with an event at or after
-- their change time and every stored one that ended then or later (it may have lost
-- events); the post-hook (macro replace_changed_sessions) deletes those stored sessions.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config(
    replace_hook="{{ replace_changed_sessions(ref('int_events_sessionized')) }}"
)) }}
{#- the parent is named in each CTE: DuckDB materialises a CTE read more than once #}
{%- set sessionized = ref('int_events_sessionized') %}

with
{%- if is_incremental() %}

sessions_to_recompute as (

    {{ sessions_changed_since_last_run(sessionized) | indent(4) }}

),
{%- endif %}

-- every event of the sessions to (re)compute
events as (

    select * from {{ sessionized }}
    {% if is_incremental() -%}
    where session_id in (select sessions_to_recompute.session_id from sessions_to_recompute)
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
