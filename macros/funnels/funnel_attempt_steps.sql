{#- The funnel engine: every attempt of every person at every funnel, all funnels and order
    modes in one computation, in long form: one row per attempt and step reached (columns
    funnel_name, person_id, entry_event_id, entry_at, entry_step, step_number, step_at,
    step_event_id, previous_step_at: step_event_id is the event that filled the step, what
    breakdowns attribute a step's values to). Pivoting to step_N_at columns happens in the marts only.

    person_events: person_id, event_id, event_name, occurred_at (one row per event).
    step_events:   funnel_name, step_number, event_name (several rows = any of them).
    funnel_steps:  funnel_name, step_number, step_count, conversion_window,
                   conversion_window_unit, conversion_window_microseconds,
                   order_mode (ordered, strict, any_order), is_open_entry.
    exclusions:    funnel_name, event_name, from_step, to_step (seed funnel_exclusions).

    Rules (DECISIONS.md, Funnels):
    - An attempt starts at each step-1 event (any step's event when the funnel has open
      entry: earlier steps then count as passed, with no row). The window runs from that
      event, inclusive: a step at exactly entry + window counts (macro funnel_window_end_us).
    - ordered: each step is the first event of that step after the previous step's event;
      other events may come between. strict: the person's very next event must be the
      next step. any_order: every funnel event starts an attempt, and step n is reached at
      the n-th of its steps first done in the window, counting from that event on.
    - Each step is a different event. Events at the same timestamp are taken in step order
      (then by event id), so simultaneous steps convert in zero seconds.
    - Exclusions: an attempt with an exclusion event strictly after its from_step event and
      strictly before its to_step event (at or before its window's end when it never
      reached to_step) stops at from_step; ties go to the funnel's steps. Only the
      attempts are capped; the best attempt is picked afterwards, among all of them.

    How: each funnel's events are numbered per person once (event_position; strict funnels
    number every event, so "very next" is position + 1). Then, for every event that can
    fill step k - 1 (ordered, strict) or start an attempt (any_order), the first event of
    step k from it on (macro next_step_targets: an ASOF join on DuckDB, a window
    elsewhere). Ordered and strict attempts follow those links from their entry, one join
    per further step up to funnel_max_steps() (a constant: no query at compile time, so
    unit tests run this same SQL; macro ordered_attempt_steps_ctes), one row per step reached.
    The cost grows with events times steps, never with the square of a person's history. -#}
{% macro funnel_attempt_steps(person_events, step_events, funnel_steps, exclusions) %}
{%- set max_steps = funnel_max_steps() -%}
with funnels as (

    select distinct
        funnel_name,
        step_count,
        conversion_window,
        conversion_window_unit,
        conversion_window_microseconds,
        order_mode,
        is_open_entry
    from {{ funnel_steps }}

),

-- one row per funnel, event name and step it fills, with the first step it fills (the
-- tie order at one timestamp and an open-entry attempt's entry step)
event_steps as (

    select
        steps.funnel_name,
        steps.event_name,
        steps.step_number,
        min(steps.step_number) over (partition by steps.funnel_name, steps.event_name) as first_step
    from (
        select distinct
            funnel_name,
            event_name,
            step_number
        from {{ step_events }}
    ) as steps
    inner join funnels
        on steps.funnel_name = funnels.funnel_name
    where steps.step_number <= funnels.step_count

),

-- one row per funnel, event and step it fills; strict funnels also see every other event
-- of the person (step NULL), since it breaks the sequence
funnel_events as (

    select
        event_steps.funnel_name,
        events.person_id,
        events.event_id,
        events.occurred_at,
        event_steps.step_number,
        event_steps.first_step
    from {{ person_events }} as events
    inner join event_steps
        on events.event_name = event_steps.event_name

    union all

    select
        strict_funnels.funnel_name,
        events.person_id,
        events.event_id,
        events.occurred_at,
        cast(null as {{ dbt.type_int() }}) as step_number,
        cast(null as {{ dbt.type_int() }}) as first_step
    from {{ person_events }} as events
    cross join (select funnel_name from funnels where order_mode = 'strict') as strict_funnels
    left join event_steps
        on
            strict_funnels.funnel_name = event_steps.funnel_name
            and events.event_name = event_steps.event_name
    where event_steps.funnel_name is null

),

-- the one sort per funnel and person: an event's position (the same for every step it fills)
positioned as (

    select
        funnel_events.*,
        funnels.order_mode,
        funnels.is_open_entry,
        funnels.step_count,
        {{ funnel_window_end_us('funnel_events.occurred_at', 'funnels') }} as window_end_us,
        dense_rank() over (
            partition by funnel_events.funnel_name, funnel_events.person_id
            order by
                funnel_events.occurred_at,
                coalesce(funnel_events.first_step, {{ max_steps + 1 }}),
                funnel_events.event_id
        ) as event_position
    from funnel_events
    inner join funnels
        on funnel_events.funnel_name = funnels.funnel_name

),

step_rows as (

    select * from positioned
    where step_number is not null

),

-- per pair step k, the sources and targets of each order mode apart, each pair feeding
-- one next_step_targets whose result is read once (DuckDB keeps a copy of a CTE read
-- twice: docs/performance.md). A source's step-k event comes after `after_position`:
-- after the source itself in ordered and strict funnels (an event never fills two steps
-- of one attempt), from the source on in any_order ones (the entry counts its own step).
-- ordered and strict: the sources are the events that fill step k - 1, the targets (below)
-- those that fill step k (no step-1 target)
ordered_sources as (

    select
        funnel_name,
        person_id,
        event_id,
        occurred_at,
        event_position,
        event_position as after_position,
        window_end_us,
        order_mode,
        step_number + 1 as pair_step
    from step_rows
    where order_mode != 'any_order' and step_number < step_count

),

-- any_order: every event that starts an attempt is a source once per step k of the
-- funnel, and the targets are the events that fill step k
any_order_sources as (

    select
        step_rows.funnel_name,
        step_rows.person_id,
        step_rows.event_id,
        step_rows.occurred_at,
        step_rows.event_position,
        step_rows.event_position - 1 as after_position,
        step_rows.window_end_us,
        step_rows.order_mode,
        funnel_steps.step_number as pair_step
    from step_rows
    inner join {{ funnel_steps }} as funnel_steps
        on step_rows.funnel_name = funnel_steps.funnel_name
    where step_rows.order_mode = 'any_order' and step_rows.step_number = step_rows.first_step

),

{#- the targets of each mode: the same columns, its own rows #}
{%- set target_rows = [
    ('ordered_targets', "order_mode != 'any_order' and step_number >= 2"),
    ('any_order_targets', "order_mode = 'any_order'")
] %}
{%- for cte_name, condition in target_rows %}

{{ cte_name }} as (

    select
        funnel_name,
        person_id,
        event_id,
        event_position,
        occurred_at,
        step_number as pair_step
    from step_rows
    where {{ condition }}

),
{%- endfor %}

-- ordered and strict: from a step k - 1 event to the step k event that follows it
-- (strict: only the very next event)
links as (

    select
        funnel_name,
        person_id,
        pair_step,
        event_position,
        next_position,
        next_at,
        next_event_id
    from (
        {{ next_step_targets('ordered_sources', 'ordered_targets') | indent(8) }}
    ) as next_targets
    where order_mode != 'strict' or next_position = event_position + 1

),

entries as (

    select
        funnel_name,
        person_id,
        event_id as entry_event_id,
        occurred_at as entry_at,
        step_number as entry_step,
        window_end_us,
        event_position
    from step_rows
    where
        order_mode != 'any_order'
        and step_number = case when is_open_entry then first_step else 1 end

),

{{ ordered_attempt_steps_ctes() }}

-- any order: the steps an attempt has done in its window, numbered by when each was first done
any_order_done as (

    select
        funnel_name,
        person_id,
        event_id as entry_event_id,
        occurred_at as entry_at,
        window_end_us,
        next_at as done_at,
        next_event_id as done_event_id,
        pair_step
    from (
        {{ next_step_targets('any_order_sources', 'any_order_targets') | indent(8) }}
    ) as next_targets
    where {{ epoch_microseconds('next_at') }} <= window_end_us

),

any_order_steps as (

    select
        funnel_name,
        person_id,
        entry_event_id,
        entry_at,
        window_end_us,
        1 as entry_step,
        row_number() over (
            partition by funnel_name, person_id, entry_event_id
            order by done_at, pair_step
        ) as step_number,
        done_at as step_at,
        done_event_id as step_event_id,
        lag(done_at) over (
            partition by funnel_name, person_id, entry_event_id
            order by done_at, pair_step
        ) as previous_step_at
    from any_order_done

),

engine_steps as (

    {%- for relation in ['ordered_steps', 'any_order_steps'] %}
    select
        funnel_name,
        person_id,
        entry_event_id,
        entry_at,
        window_end_us,
        cast(entry_step as {{ dbt.type_int() }}) as entry_step,
        cast(step_number as {{ dbt.type_int() }}) as step_number,
        step_at,
        step_event_id,
        previous_step_at
    from {{ relation }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

-- the exclusion rules that fit their funnel (from_step < to_step <= step count)
exclusion_rules as (

    select distinct
        exclusions.funnel_name,
        exclusions.event_name,
        exclusions.from_step,
        exclusions.to_step
    from {{ exclusions }} as exclusions
    inner join funnels
        on exclusions.funnel_name = funnels.funnel_name
    where
        exclusions.from_step >= 1
        and exclusions.to_step > exclusions.from_step
        and exclusions.to_step <= funnels.step_count

),

-- per attempt and rule whose from_step the attempt reached with an event: when, and when
-- it reached to_step (NULL: never)
exclusion_spans as (

    select
        engine_steps.funnel_name,
        engine_steps.person_id,
        engine_steps.entry_event_id,
        exclusion_rules.event_name,
        exclusion_rules.from_step,
        max(engine_steps.window_end_us) as window_end_us,
        max(case when engine_steps.step_number = exclusion_rules.from_step then engine_steps.step_at end)
            as from_at,
        max(case when engine_steps.step_number = exclusion_rules.to_step then engine_steps.step_at end)
            as to_at
    from engine_steps
    inner join exclusion_rules
        on
            engine_steps.funnel_name = exclusion_rules.funnel_name
            and engine_steps.step_number in (exclusion_rules.from_step, exclusion_rules.to_step)
    group by
        engine_steps.funnel_name,
        engine_steps.person_id,
        engine_steps.entry_event_id,
        exclusion_rules.event_name,
        exclusion_rules.from_step,
        exclusion_rules.to_step

),

-- the attempts an exclusion event stops, at the lowest from_step of the rules they break
excluded_attempts as (

    select
        spans.funnel_name,
        spans.person_id,
        spans.entry_event_id,
        min(spans.from_step) as last_step
    from exclusion_spans as spans
    inner join {{ person_events }} as events
        on
            spans.person_id = events.person_id
            and spans.event_name = events.event_name
            and spans.from_at < events.occurred_at
    where
        spans.from_at is not null
        and (
            events.occurred_at < spans.to_at
            or (spans.to_at is null and {{ epoch_microseconds('events.occurred_at') }} <= spans.window_end_us)
        )
    group by
        spans.funnel_name,
        spans.person_id,
        spans.entry_event_id

),

final as (

    select
        engine_steps.funnel_name,
        engine_steps.person_id,
        engine_steps.entry_event_id,
        engine_steps.entry_at,
        engine_steps.entry_step,
        engine_steps.step_number,
        engine_steps.step_at,
        engine_steps.step_event_id,
        engine_steps.previous_step_at
    from engine_steps
    left join excluded_attempts
        on
            engine_steps.funnel_name = excluded_attempts.funnel_name
            and engine_steps.person_id = excluded_attempts.person_id
            and engine_steps.entry_event_id = excluded_attempts.entry_event_id
    where excluded_attempts.last_step is null or engine_steps.step_number <= excluded_attempts.last_step

)

select * from final

{%- endmacro %}
