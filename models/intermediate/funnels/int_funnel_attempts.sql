-- One row per funnel attempt: a person's entry event, the furthest step reached inside
-- the conversion window and each step's time. The logic (order modes, window, open
-- entry, tie rules, one funnel at a time) is the macro funnel_attempts.
-- Incremental by tails: an attempt sees only events up to its conversion window after
-- its entry, so a change from a person's tail start on (see int_person_events) can only
-- alter attempts that entered at most the longest window before it. Those are recomputed
-- from the person's events since then. Changing the funnel seeds or funnel vars needs
-- --full-refresh.
{{ config(**incremental_by_tail_config('person_id', 'entry_at', 'entry_event_id')) }}
{%- set since = incremental_stored_max('processed_at') %}
{#- the parent is named in each CTE: DuckDB materialises a CTE read more than once #}
{%- set all_person_events = ref('int_person_events') %}
with
{%- if since %}

recompute_from as (

    {{ attempt_recompute_from(all_person_events, since, ref('int_funnel_steps')) | indent(4) }}

),

tail_person_events as (

    select all_person_events.*
    from {{ all_person_events }} as all_person_events
    inner join recompute_from
        on
            all_person_events.person_id = recompute_from.person_id
            and {{ in_tail('all_person_events.occurred_at', 'recompute_from.from_at') }}

),

{%- endif %}

computed as (

    {#- a full build reads the table itself: a CTE read once per funnel could be materialised whole #}
    {{ funnel_attempts(
        person_events='tail_person_events' if since else all_person_events,
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
{{ tail_start_rows('recompute_from', 'from_at', 'entry_at') }}
{%- endif %}
