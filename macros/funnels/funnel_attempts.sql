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
{#- One funnel at a time, joined by UNION ALL: each funnel's events are sorted per person
    on their own, which is cheaper than one sort over all funnels' events and spills
    less (docs/performance.md). In dbt unit tests the funnel names cannot
    be queried (fixture rows), so there all funnels go through one pass of the same SQL
    (as with no funnel configured). -#}
{%- set funnel_names = configured_funnel_names(step_events) -%}
{%- if not funnel_names -%}
{{ funnel_attempts_one_pass(person_events, step_events, funnel_steps) }}
{%- else -%}
    {%- for funnel_name in funnel_names -%}
select * from (
    {{ funnel_attempts_one_pass(person_events, step_events, funnel_steps, funnel_name) | indent(4) }}
) as {{ 'funnel_' ~ loop.index }}
{{ 'union all\n' if not loop.last }}
    {%- endfor -%}
{%- endif -%}
{%- endmacro %}

{#- funnel_attempts for all funnels (funnel_name none) or for one. -#}
{% macro funnel_attempts_one_pass(person_events, step_events, funnel_steps, funnel_name=none) %}
{#- unrolled for the steps the funnels have, not the 8 they may have: each step costs a
    running sum over every funnel event and a join -#}
{%- set max_steps = funnel_steps_in_use(step_events, funnel_name) -%}
{%- set only_this_funnel = '' if funnel_name is none
    else 'where funnel_name = ' ~ sql_string_literal(funnel_name) -%}
{%- set steps = range(1, max_steps + 1) -%}
{%- set later_steps = range(2, max_steps + 1) -%}
{%- set microseconds_per_day = 86400000000 -%}
{#- the columns every funnel event carries, whether it fills a step or (strict) not; kept
    narrow, because these rows are sorted per person: the funnel settings join on after -#}
{%- set funnel_event_columns -%}
funnels.funnel_name,
        events.person_id,
        events.event_id,
        events.occurred_at,
{%- endset -%}
{%- set person_order = 'partition by funnel_name, person_id order by event_position' -%}
{#- events at one timestamp in step order, then by id (see the rules above) -#}
{%- set person_sequence = 'partition by funnel_name, person_id order by occurred_at, coalesce(first_step, '
    ~ (max_steps + 1) ~ '), event_id' -%}

with funnels as (

    select distinct
        funnel_name,
        conversion_window_days,
        order_mode,
        is_open_entry
    from {{ funnel_steps }}
    {{ only_this_funnel }}

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
    {{ only_this_funnel }}
    group by funnel_name, event_name

),

step_events as (

    select
        {{ funnel_event_columns }}
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
        {{ funnel_event_columns }}
        cast(null as {{ dbt.type_int() }}) as first_step,
        {%- for k in steps %}
        0 as is_step_{{ k }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ person_events }} as events
    cross join (select * from funnels where order_mode = 'strict') as funnels
    left join step_flags
        on
            funnels.funnel_name = step_flags.funnel_name
            and events.event_name = step_flags.event_name
    where step_flags.funnel_name is null

),

funnel_events as (

    select * from step_events
    union all
    select * from strict_other_events

),

-- one sort per funnel and person: each event's position and, for every step, how many
-- events of that step happened up to and including it
sequenced as (

    select
        funnel_events.*,
        row_number() over ({{ person_sequence }}) as event_position,
        {%- for k in later_steps %}
            sum(funnel_events.is_step_{{ k }}) over (
                {{ person_sequence }}
                rows between unbounded preceding and current row
            ) as step_{{ k }}_seen{{ ',' if not loop.last }}
        {%- endfor %}
    from funnel_events

),

positioned as (

    select
        sequenced.*,
        funnels.conversion_window_days,
        funnels.order_mode,
        funnels.is_open_entry
    from sequenced
    inner join funnels
        on sequenced.funnel_name = funnels.funnel_name

),

-- every event that fills step k >= 2, findable by its ordinal among that step's events
step_occurrences as (

    {%- for k in later_steps %}
        select
            funnel_name,
            person_id,
            {{ k }} as step_number,
            step_{{ k }}_seen as step_ordinal,
            event_position,
            occurred_at,
            {%- for j in later_steps %}
                step_{{ j }}_seen{{ ',' if not loop.last }}
            {%- endfor %}
        from positioned
        where order_mode != 'any_order' and is_step_{{ k }} = 1
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

chain_starts as (

    select
        positioned.*,
        case when positioned.is_open_entry then positioned.first_step else 1 end as entry_step
    from positioned
    where
        positioned.order_mode != 'any_order'
        and (positioned.is_step_1 = 1 or (positioned.is_open_entry and positioned.first_step is not null))

),

-- the next step after an attempt's entry is the (seen + 1)-th event of that step; strict
-- mode also needs it to be the very next event. Attempts with the same next event share
-- the rest of the chain, so the chain is followed once per such group.
attempt_starts as (

    select
        chain_starts.*,
        case chain_starts.entry_step
            {%- for k in steps if k < max_steps %}
                when {{ k }} then chain_starts.step_{{ k + 1 }}_seen + 1
            {%- endfor %}
            else 0
        end as next_step_ordinal,
        case when chain_starts.order_mode = 'strict' then chain_starts.event_position else -1 end as strict_position
    from chain_starts

),

chain_keys as (

    select distinct
        funnel_name,
        person_id,
        order_mode,
        entry_step,
        next_step_ordinal,
        strict_position
    from attempt_starts

),

-- follow the chain: step k is the next step-k event after step k - 1's event
chain_links as (

    select
        chain_keys.funnel_name,
        chain_keys.person_id,
        chain_keys.order_mode,
        chain_keys.entry_step,
        chain_keys.next_step_ordinal,
        chain_keys.strict_position,
        {%- for k in later_steps %}
            step_{{ k }}.occurred_at as link_step_{{ k }}_at,
            -- the position the step's event needs in strict mode: right after the previous step
            case
                when chain_keys.entry_step = {{ k - 1 }} then chain_keys.strict_position + 1
                {%- if k > 2 %}
                    when chain_keys.entry_step < {{ k - 1 }} then step_{{ k - 1 }}.event_position + 1
                {%- endif %}
            end = step_{{ k }}.event_position as is_step_{{ k }}_adjacent{{ ',' if not loop.last }}
        {%- endfor %}
    from chain_keys
    {%- for k in later_steps %}
        left join step_occurrences as step_{{ k }}
            on
                chain_keys.funnel_name = step_{{ k }}.funnel_name
                and chain_keys.person_id = step_{{ k }}.person_id
                and step_{{ k }}.step_number = {{ k }}
                and step_{{ k }}.step_ordinal = case
                    when chain_keys.entry_step = {{ k - 1 }} then chain_keys.next_step_ordinal
                    {%- if k > 2 %}
                        when chain_keys.entry_step < {{ k - 1 }} then step_{{ k - 1 }}.step_{{ k }}_seen + 1
                    {%- endif %}
                end
    {%- endfor %}

),

-- strict mode: the chain stops at the first step whose event is not the very next one
chains as (

    select
        funnel_name,
        person_id,
        entry_step,
        next_step_ordinal,
        strict_position,
        {%- for k in later_steps %}
            case
                when order_mode != 'strict' or (
                    {%- for j in range(2, k + 1) %}
                        (entry_step >= {{ j }} or is_step_{{ j }}_adjacent){{ ' and' if not loop.last }}
                    {%- endfor %}
                ) then link_step_{{ k }}_at
            end as chain_step_{{ k }}_at{{ ',' if not loop.last }}
        {%- endfor %}
    from chain_links

),

chain_candidates as (

    select
        attempt_starts.funnel_name,
        attempt_starts.person_id,
        attempt_starts.event_id as entry_event_id,
        attempt_starts.occurred_at as entry_at,
        attempt_starts.entry_step,
        attempt_starts.conversion_window_days,
        case when attempt_starts.entry_step = 1 then attempt_starts.occurred_at end as candidate_step_1_at,
        {%- for k in later_steps %}
            case
                when attempt_starts.entry_step = {{ k }} then attempt_starts.occurred_at
                when attempt_starts.entry_step < {{ k }} then chains.chain_step_{{ k }}_at
            end as candidate_step_{{ k }}_at{{ ',' if not loop.last }}
        {%- endfor %}
    from attempt_starts
    inner join chains
        on
            attempt_starts.funnel_name = chains.funnel_name
            and attempt_starts.person_id = chains.person_id
            and attempt_starts.entry_step = chains.entry_step
            and attempt_starts.next_step_ordinal = chains.next_step_ordinal
            and attempt_starts.strict_position = chains.strict_position

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
        any_order_links.event_id as entry_event_id,
        any_order_links.occurred_at as entry_at,
        1 as entry_step,
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
        chain_candidates.*,
        case
            {%- for k in steps | reverse %}
            when {{ epoch_microseconds('candidate_step_' ~ k ~ '_at') }}
                <= {{ epoch_microseconds('entry_at') }} + conversion_window_days * {{ microseconds_per_day }}
                then {{ k }}
            {%- endfor %}
        end as furthest_step
    from chain_candidates

),

chain_attempts as (

    select
        funnel_name,
        person_id,
        entry_event_id,
        entry_at,
        entry_step,
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

-- the sorts above carry only keys; the entry event's person attributes join back here
final as (

    select
        attempts.funnel_name,
        attempts.person_id,
        entry_events.customer_id,
        attempts.entry_event_id,
        attempts.entry_at,
        cast(attempts.entry_step as {{ dbt.type_int() }}) as entry_step,
        entry_events.platform as entry_platform,
        cast(attempts.furthest_step as {{ dbt.type_int() }}) as furthest_step,
        {%- for k in range(1, funnel_max_steps() + 1) %}
            {%- if k <= max_steps %}
            attempts.step_{{ k }}_at{{ ',' if not loop.last }}
            {%- else %}
            cast(null as {{ dbt.type_timestamp() }}) as step_{{ k }}_at{{ ',' if not loop.last }}
            {%- endif %}
        {%- endfor %}
    from attempts
    inner join {{ person_events }} as entry_events
        on attempts.entry_event_id = entry_events.event_id

)

select * from final
{%- endmacro %}
