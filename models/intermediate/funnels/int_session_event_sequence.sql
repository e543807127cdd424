-- One row per event of an inactivity session (int_person_events.session_number), in order,
-- with the event before and after it in the session. With `path_collapse_repeats` (default
-- true) a run of the same event (product_view, product_view, ...) is kept once, so paths
-- show moves between behaviours rather than how often a page was reloaded.
-- Incremental by tails: recomputes each changed person's sessions from the first one
-- with an event int_person_events restamped.
{{ config(**incremental_by_tail_config('person_id', 'session_number', 'event_id')) }}
{%- set since = incremental_stored_max('processed_at') %}
{%- set session_order = 'partition by person_id, session_number order by occurred_at, event_id' %}
{#- the parent is named in each CTE: DuckDB materialises a CTE read more than once #}
{%- set all_person_events = ref('int_person_events') %}
with
{%- if since %}

tail_starts as (

    {{ tail_starts(all_person_events, since, 'session_number') | indent(4) }}

),

{%- endif %}

person_events as (

    select all_person_events.*
    from {{ all_person_events }} as all_person_events
    {%- if since %}
    inner join tail_starts
        on
            all_person_events.person_id = tail_starts.person_id
            and {{ in_tail('all_person_events.session_number', 'tail_starts.tail_from') }}
    {%- endif %}

),

runs as (

    select
        person_id,
        session_number,
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
        session_number,
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
{%- if since %}
{{ tail_start_rows('tail_starts', 'tail_from', 'session_number') }}
{%- endif %}
