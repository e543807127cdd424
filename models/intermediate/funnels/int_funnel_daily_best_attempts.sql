-- One row per person, funnel, day of entry and step reached by the person's best attempt
-- that entered on that day (macro best_attempt_order), in long form, with how many
-- attempts they made that day. The compact table the funnel marts read instead of every
-- attempt: a person's best attempt in a week, a month or overall is the best of their
-- daily ones (macro funnel_period_best_attempts). The attempts come from the funnel
-- engine (macro funnel_attempt_steps).
-- Incremental by person on the change log (int_person_stream_changes): an attempt sees
-- only events inside its conversion window, so a change from time t can alter only the
-- attempts that entered at most the longest window before t. A run recomputes each
-- logged person's days from the day holding that entry time (macro
-- funnel_days_to_recompute) from their events since that day's start, and the post-hook
-- deletes their stored rows of those days. Changing the funnel seeds or funnel vars needs
-- --full-refresh.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config(
    replace_hook="{{ replace_changed_people_from('entry_date', funnel_days_to_recompute(), 'from_date') }}"
)) }}
{#- the parent is named where a full build reads it: DuckDB materialises a CTE read twice #}
{%- set all_person_events = ref('int_person_events') %}
{%- set person_events = 'scoped_person_events' if is_incremental() else all_person_events %}
with
{%- if is_incremental() %}

days_to_recompute as (

    {{ funnel_days_to_recompute() | indent(4) }}

),

scoped_person_events as (

    select all_person_events.*
    from {{ all_person_events }} as all_person_events
    inner join days_to_recompute
        on
            all_person_events.person_id = days_to_recompute.person_id
            and {{ in_tail(
                'all_person_events.occurred_at',
                'cast(days_to_recompute.from_date as ' ~ dbt.type_timestamp() ~ ')'
            ) }}

),
{%- endif %}

attempt_steps as (

    {{ funnel_attempt_steps(
        person_events=person_events,
        step_events=ref('funnel_steps'),
        funnel_steps=ref('int_funnel_steps'),
        exclusions=ref('funnel_exclusions')
    ) | indent(4) }}

),

-- each attempt's furthest step on its step rows: windows, not a group by joined back, so
-- the engine's output is read once
scored_steps as (

    select
        attempt_steps.*,
        cast(attempt_steps.entry_at as date) as entry_date,
        max(attempt_steps.step_number) over (
            partition by attempt_steps.funnel_name, attempt_steps.person_id, attempt_steps.entry_event_id
        ) as furthest_step
    from attempt_steps

),

-- per person, funnel and day: the attempts (one entry-step row each) and the rank of each
-- step row's attempt (all of an attempt's rows share it, as the order is total)
ranked_steps as (

    select
        scored_steps.*,
        sum(case when scored_steps.step_number = scored_steps.entry_step then 1 else 0 end) over (
            partition by scored_steps.funnel_name, scored_steps.person_id, scored_steps.entry_date
        ) as attempt_count,
        dense_rank() over (
            partition by scored_steps.funnel_name, scored_steps.person_id, scored_steps.entry_date
            order by {{ best_attempt_order('scored_steps') }}
        ) as attempt_rank
    from scored_steps

),

-- the best attempts' steps, with their entry event's person and platform
final as (

    select
        best.funnel_name,
        best.person_id,
        best.entry_date,
        entry_events.customer_id,
        best.entry_event_id,
        best.entry_at,
        cast(best.entry_step as {{ dbt.type_int() }}) as entry_step,
        entry_events.platform as entry_platform,
        cast(best.furthest_step as {{ dbt.type_int() }}) as furthest_step,
        cast(best.attempt_count as {{ dbt.type_int() }}) as attempt_count,
        best.step_number,
        best.step_at,
        best.step_event_id,
        best.previous_step_at,
        {{ run_stamp() }} as processed_at
    from ranked_steps as best
    inner join {{ person_events }} as entry_events
        on best.entry_event_id = entry_events.event_id
    where best.attempt_rank = 1

)

select * from final
