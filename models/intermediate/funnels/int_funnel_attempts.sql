-- One row per funnel attempt: a person's entry event, the furthest step reached inside
-- the conversion window and each step's time. All funnels in one pass; the logic (order
-- modes, window, open entry, tie rules) is the macro funnel_attempts.
-- Incremental by person: recomputes every attempt of the people int_person_events
-- restamped. Changing the funnel seeds or funnel vars needs --full-refresh.
{{ config(**incremental_by_person_config('entry_event_id')) }}
{%- set since = incremental_stored_max('processed_at') %}
{%- if since %}
    {%- set person_events -%}
        (
            select * from {{ ref('int_person_events') }}
            where person_id in (
                {{ people_to_recompute(ref('int_person_events'), since) }}
            )
        )
    {%- endset %}
{%- else %}
    {%- set person_events = ref('int_person_events') %}
{%- endif %}

with computed as (

    {{ funnel_attempts(
        person_events=person_events,
        step_events=ref('funnel_steps'),
        funnel_steps=ref('int_funnel_steps')
    ) | indent(4) }}

),
{%- if since %}

changed_people as (

    {{ people_to_recompute(ref('int_person_events'), since) }}

),
{%- endif %}

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
