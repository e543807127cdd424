-- One row per funnel attempt: a person's entry event, the furthest step reached inside
-- the conversion window and each step's time. The logic (order modes, window, open
-- entry, tie rules, one funnel at a time) is the macro funnel_attempts.
-- Incremental by person: recomputes every attempt of the people int_person_events
-- restamped. Changing the funnel seeds or funnel vars needs --full-refresh.
{{ config(**incremental_by_person_config('entry_event_id')) }}
{%- set since = incremental_stored_max('processed_at') %}
{#- a full build reads the table itself: a CTE read once per funnel could be materialised whole #}
{%- set changed_rows = recomputed_people_ctes(ref('int_person_events'), since, 'changed_person_events')
    if since else '' %}
with {{ changed_rows }}

computed as (

    {{ funnel_attempts(
        person_events='changed_person_events' if since else ref('int_person_events'),
        step_events=ref('funnel_steps'),
        funnel_steps=ref('int_funnel_steps')
    ) | indent(4) }}

),

stamped as (

    select
        computed.*,
        {{ run_stamp() }} as processed_at
    from computed

)

select * from stamped
{%- if since %}
{{ person_markers('changed_people') }}
{%- endif %}
