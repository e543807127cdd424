{#- Every funnel attempt of every person, for all funnels at once: one row per attempt
    with its entry, the furthest step it reached inside the conversion window and the
    time of each step. Set-based: events are numbered per funnel and person, each event
    knows where the next event of every step is (a window function), and an attempt
    follows that chain with one equi-join per step, so the cost grows with events times
    steps, never with the square of a person's history.

    person_events: person_id, customer_id, event_id, event_name, occurred_at, platform.
    step_events:   funnel_name, step_number, event_name (several rows = any of them).
    funnel_steps:  funnel_name, step_number, step_count, conversion_window_days,
                   order_mode (ordered, strict, any_order), is_open_entry.

    Rules (DECISIONS.md, Funnels):
    - An attempt starts at each step-1 event (any step's event when the funnel has open
      entry: earlier steps then count as passed, with no timestamp). The window runs from
      that event, inclusive: a step at exactly entry + window days counts.
    - ordered: each step is the first event of that step after the previous step's event;
      other events may come between. strict: the person's very next event must be the
      next step. any_order: step n means n distinct steps done in the window, in any order.
    - Each step is a different event. Events at the same timestamp are taken in step order
      (then by event id), so simultaneous steps convert in zero seconds.
-#}
{% macro funnel_attempts(person_events, step_events, funnel_steps) %}
{%- set max_steps = funnel_max_steps() -%}
{%- set steps = range(1, max_steps + 1) -%}
{%- set later_steps = range(2, max_steps + 1) -%}
{%- set microseconds_per_day = 86400000000 -%}
{%- set person_order = 'partition by funnel_name, person_id order by event_position' -%}

with funnels as (

    select distinct
        funnel_name,
        conversion_window_days,
        order_mode,
        is_open_entry
    from {{ funnel_steps }}

),

-- one row per funnel and event name: the steps that event fills
step_flags as (

    select
        funnel_name,
        event_name,
        min(step_number) as first_step,
        {%- for k in steps %}
        max(case when step_number = {{ k }} then 1 else 0 end) as is_step_{{ k }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ step_events }}
    group by funnel_name, event_name

),

step_events as (

    select
        funnels.funnel_name,
        funnels.conversion_window_days,
        funnels.order_mode,
        funnels.is_open_entry,
        events.person_id,
        events.customer_id,
        events.event_id,
        events.occurred_at,
        events.platform,
        step_flags.first_step,
        {%- for k in steps %}
        step_flags.is_step_{{ k }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ person_events }} as events
    inner join step_flags
        on events.event_name = step_flags.event_name
    inner join funnels
        on step_flags.funnel_name = funnels.funnel_name

),

-- strict funnels also see every other event of the person: it breaks the sequence
strict_other_events as (

    select
        funnels.funnel_name,
        funnels.conversion_window_days,
        funnels.order_mode,
        funnels.is_open_entry,
        events.person_id,
        events.customer_id,
        events.event_id,
        events.occurred_at,
        events.platform,
        cast(null as {{ dbt.type_int() }}) as first_step,
        {%- for k in steps %}
        0 as is_step_{{ k }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ person_events }} as events
    cross join funnels
    left join step_flags
        on
            funnels.funnel_name = step_flags.funnel_name
            and events.event_name = step_flags.event_name
    where
        funnels.order_mode = 'strict'
        and step_flags.funnel_name is null

),

funnel_events as (

    select * from step_events
    union all
    select * from strict_other_events

),

positioned as (

    select
        funnel_events.*,
        row_number() over (
            partition by funnel_events.funnel_name, funnel_events.person_id
            order by
                funnel_events.occurred_at,
                coalesce(funnel_events.first_step, {{ max_steps + 1 }}),
                funnel_events.event_id
        ) as event_position
    from funnel_events

),

-- where the next event of each step is, seen from every event
ordered_links as (

    select
        positioned.*,
        {%- for k in later_steps %}
        min(case when is_step_{{ k }} = 1 then event_position end) over (
            {{ person_order }}
            rows between 1 following and unbounded following
        ) as next_step_{{ k }}_position{{ ',' if not loop.last }}
        {%- endfor %}
    from positioned
    where order_mode = 'ordered'

),

strict_links as (

    select
        positioned.*,
        {%- for k in later_steps %}
        case
            when lead(is_step_{{ k }}) over ({{ person_order }}) = 1 then event_position + 1
        end as next_step_{{ k }}_position{{ ',' if not loop.last }}
        {%- endfor %}
    from positioned
    where order_mode = 'strict'

),

links as (

    select * from ordered_links
    union all
    select * from strict_links

),

chain_starts as (

    select
        links.*,
        case when links.is_open_entry then links.first_step else 1 end as entry_step
    from links
    where
        links.is_step_1 = 1
        or (links.is_open_entry and links.first_step is not null)

),

-- follow the chain: step k is the next step-k event after step k - 1's event
chains as (

    select
        chain_starts.funnel_name,
        chain_starts.person_id,
        chain_starts.customer_id,
        chain_starts.event_id as entry_event_id,
        chain_starts.occurred_at as entry_at,
        chain_starts.entry_step,
        chain_starts.platform as entry_platform,
        chain_starts.conversion_window_days,
        case when chain_starts.entry_step = 1 then chain_starts.occurred_at end as candidate_step_1_at,
        {%- for k in later_steps %}
        case
            when chain_starts.entry_step = {{ k }} then chain_starts.occurred_at
            else step_{{ k }}.occurred_at
        end as candidate_step_{{ k }}_at{{ ',' if not loop.last }}
        {%- endfor %}
    from chain_starts
    {%- for k in later_steps %}
    left join links as step_{{ k }}
        on
            chain_starts.funnel_name = step_{{ k }}.funnel_name
            and chain_starts.person_id = step_{{ k }}.person_id
            and step_{{ k }}.event_position = case
                when chain_starts.entry_step = {{ k - 1 }} then chain_starts.next_step_{{ k }}_position
                {%- if k > 2 %}
                when chain_starts.entry_step < {{ k - 1 }} then step_{{ k - 1 }}.next_step_{{ k }}_position
                {%- endif %}
            end
    {%- endfor %}

),

-- any order: from each event, the first event of every step at or after it
any_order_links as (

    select
        positioned.*,
        {%- for k in steps %}
        min(case when is_step_{{ k }} = 1 then occurred_at end) over (
            {{ person_order }}
            rows between current row and unbounded following
        ) as first_step_{{ k }}_at{{ ',' if not loop.last }}
        {%- endfor %}
    from positioned
    where order_mode = 'any_order'

),

any_order_steps_done as (

    select
        any_order_links.funnel_name,
        any_order_links.person_id,
        any_order_links.event_id as entry_event_id,
        case step_series.n
            {%- for k in steps %}
            when {{ k - 1 }} then any_order_links.first_step_{{ k }}_at
            {%- endfor %}
        end as done_at
    from any_order_links
    cross join ({{ integer_series(max_steps) }}) as step_series
    where
        case step_series.n
            {%- for k in steps %}
            when {{ k - 1 }} then {{ epoch_microseconds('any_order_links.first_step_' ~ k ~ '_at') }}
            {%- endfor %}
        end
        <= {{ epoch_microseconds('any_order_links.occurred_at') }}
        + any_order_links.conversion_window_days * {{ microseconds_per_day }}

),

any_order_ranked as (

    select
        funnel_name,
        person_id,
        entry_event_id,
        done_at,
        row_number() over (
            partition by funnel_name, person_id, entry_event_id
            order by done_at
        ) as steps_done
    from any_order_steps_done

),

any_order_progress as (

    select
        funnel_name,
        person_id,
        entry_event_id,
        count(*) as furthest_step,
        {%- for k in steps %}
        max(case when steps_done = {{ k }} then done_at end) as step_{{ k }}_at{{ ',' if not loop.last }}
        {%- endfor %}
    from any_order_ranked
    group by funnel_name, person_id, entry_event_id

),

any_order_attempts as (

    select
        any_order_links.funnel_name,
        any_order_links.person_id,
        any_order_links.customer_id,
        any_order_links.event_id as entry_event_id,
        any_order_links.occurred_at as entry_at,
        1 as entry_step,
        any_order_links.platform as entry_platform,
        any_order_progress.furthest_step,
        {%- for k in steps %}
        any_order_progress.step_{{ k }}_at{{ ',' if not loop.last }}
        {%- endfor %}
    from any_order_links
    inner join any_order_progress
        on
            any_order_links.funnel_name = any_order_progress.funnel_name
            and any_order_links.person_id = any_order_progress.person_id
            and any_order_links.event_id = any_order_progress.entry_event_id

),

chain_reach as (

    select
        chains.*,
        case
            {%- for k in steps | reverse %}
            when {{ epoch_microseconds('candidate_step_' ~ k ~ '_at') }}
                <= {{ epoch_microseconds('entry_at') }} + conversion_window_days * {{ microseconds_per_day }}
                then {{ k }}
            {%- endfor %}
        end as furthest_step
    from chains

),

chain_attempts as (

    select
        funnel_name,
        person_id,
        customer_id,
        entry_event_id,
        entry_at,
        entry_step,
        entry_platform,
        furthest_step,
        {%- for k in steps %}
        case when {{ k }} <= furthest_step then candidate_step_{{ k }}_at end as step_{{ k }}_at{{ ',' if not loop.last }}
        {%- endfor %}
    from chain_reach

),

attempts as (

    select * from chain_attempts
    union all
    select * from any_order_attempts

),

final as (

    select
        funnel_name,
        person_id,
        customer_id,
        entry_event_id,
        entry_at,
        cast(entry_step as {{ dbt.type_int() }}) as entry_step,
        entry_platform,
        cast(furthest_step as {{ dbt.type_int() }}) as furthest_step,
        {%- for k in steps %}
        step_{{ k }}_at{{ ',' if not loop.last }}
        {%- endfor %}
    from attempts

)

select * from final
{%- endmacro %}
