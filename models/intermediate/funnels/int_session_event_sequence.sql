-- One row per event of a session (int_person_events.session_id), in order, with the
-- event before and after it in the session. With `path_collapse_repeats` (default true) a
-- run of the same event (product_view, product_view, ...) is kept once, so paths show
-- moves between behaviours rather than how often a page was reloaded.
-- Incremental by session on the change log (int_person_stream_changes): recomputes, for
-- each person it logged since this model's latest run, every session with an event at
-- or after their change time and every stored one holding an event then or later (it
-- may have lost events); the post-hook (macro replace_changed_sessions) deletes those
-- stored sessions.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config(
    replace_hook="{{ replace_changed_sessions(ref('int_person_events'), 'occurred_at') }}"
)) }}
{%- set session_order = 'partition by session_id order by occurred_at, event_id' %}
{#- the parent is named in each CTE: DuckDB materialises a CTE read more than once #}
{%- set all_person_events = ref('int_person_events') %}
with
{%- if is_incremental() %}

sessions_to_recompute as (

    {{ sessions_changed_since_last_run(all_person_events, 'occurred_at') | indent(4) }}

),
{%- endif %}

person_events as (

    select all_person_events.*
    from {{ all_person_events }} as all_person_events
    {% if is_incremental() -%}
    where all_person_events.session_id in (select sessions_to_recompute.session_id from sessions_to_recompute)
    {%- endif %}

),

runs as (

    select
        person_id,
        session_id,
        event_id,
        event_name,
        occurred_at,
        lag(event_name) over (
            {{ session_order }}
        ) as raw_previous_event_name
    from person_events

),

kept as (

    select *
    from runs
    where
        not {{ var('path_collapse_repeats', true) | as_bool }}
        or raw_previous_event_name is null
        or event_name != raw_previous_event_name

),

final as (

    select
        person_id,
        session_id,
        event_id,
        event_name,
        occurred_at,
        row_number() over (
            {{ session_order }}
        ) as position_in_session,
        lag(event_name) over (
            {{ session_order }}
        ) as previous_event_name,
        lead(event_name) over (
            {{ session_order }}
        ) as next_event_name,
        {{ run_stamp() }} as processed_at
    from kept

)

select * from final
