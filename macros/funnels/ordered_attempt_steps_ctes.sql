{#- The ordered and strict attempts of the funnel engine (funnel_attempt_steps), as CTEs
    ending in `ordered_steps` (funnel_name, person_id, entry_event_id, entry_at,
    window_end_us, entry_step, step_number, step_at, step_event_id, previous_step_at: one row per attempt
    and step reached), from the engine's CTEs `entries` (each attempt's entry event) and
    `links` (from a step k - 1 event to the step k event after it). Each attempt follows
    its links from its entry, one join per further step, inside its window; the engines
    differ only in the shape of that SQL. -#}
{% macro ordered_attempt_steps_ctes() %}
    {{ return(adapter.dispatch('ordered_attempt_steps_ctes', 'customer_lifecycle')()) }}
{% endmacro %}

{#- One CTE per step, each joining the attempts that reached the step before to their next
    link: engines that compute a CTE read twice once (DuckDB, PostgreSQL) carry only the
    attempts still going into each join (docs/performance.md). -#}
{% macro default__ordered_attempt_steps_ctes() %}
{%- set max_steps = funnel_max_steps() -%}
{%- for k in range(1, max_steps + 1) %}

-- attempts at step {{ k }}: those entering there, and those that reached step {{ k - 1 }}
-- and find a step {{ k }} event inside their window
reached_{{ k }} as (

    select
        funnel_name,
        person_id,
        entry_event_id,
        entry_at,
        entry_step,
        window_end_us,
        {{ k }} as step_number,
        event_position,
        entry_at as step_at,
        entry_event_id as step_event_id,
        cast(null as {{ dbt.type_timestamp() }}) as previous_step_at
    from entries
    where entry_step = {{ k }}
    {%- if k > 1 %}

    union all

    select
        reached.funnel_name,
        reached.person_id,
        reached.entry_event_id,
        reached.entry_at,
        reached.entry_step,
        reached.window_end_us,
        {{ k }} as step_number,
        links.next_position as event_position,
        links.next_at as step_at,
        links.next_event_id as step_event_id,
        reached.step_at as previous_step_at
    from reached_{{ k - 1 }} as reached
    inner join links
        on
            reached.funnel_name = links.funnel_name
            and reached.person_id = links.person_id
            and links.pair_step = {{ k }}
            and reached.event_position = links.event_position
    where {{ epoch_microseconds('links.next_at') }} <= reached.window_end_us
    {%- endif %}

),
{%- endfor %}

ordered_steps as (

    {%- for k in range(1, max_steps + 1) %}
    select
        funnel_name,
        person_id,
        entry_event_id,
        entry_at,
        window_end_us,
        entry_step,
        step_number,
        step_at,
        step_event_id,
        previous_step_at
    from reached_{{ k }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),
{%- endmacro %}

{#- Spark inlines every CTE where it is read, so per-step CTEs would repeat the whole chain
    before each step (36 joins planned for 8 steps): one chain of left joins instead, then
    one row per step by a cross join with the step offsets; the SQL grows with the step
    count, not its square. -#}
{% macro spark__ordered_attempt_steps_ctes() %}
{%- set max_steps = funnel_max_steps() -%}
-- ordered and strict: each attempt followed link by link from its entry, one left join per
-- further step (position_j, at_j: the step entry_step + j, inside the window), so the SQL
-- grows with the step count, not its square (Spark inlines every CTE where it is used)
chain as (

    select
        entries.funnel_name,
        entries.person_id,
        entries.entry_event_id,
        entries.entry_at,
        entries.entry_step,
        entries.window_end_us
        {%- for j in range(1, max_steps) %},
        link_{{ j }}.next_at as at_{{ j }},
        link_{{ j }}.next_event_id as event_id_{{ j }}
        {%- endfor %}
    from entries
    {%- for j in range(1, max_steps) %}
    {%- set previous_position = 'entries.event_position' if j == 1 else 'link_' ~ (j - 1) ~ '.next_position' %}
    left join links as link_{{ j }}
        on
            entries.funnel_name = link_{{ j }}.funnel_name
            and entries.person_id = link_{{ j }}.person_id
            and link_{{ j }}.pair_step = entries.entry_step + {{ j }}
            and {{ previous_position }} = link_{{ j }}.event_position
            and {{ epoch_microseconds('link_' ~ j ~ '.next_at') }} <= entries.window_end_us
    {%- endfor %}

),

-- the step offsets 0 to funnel_max_steps() - 1, to turn the chain into one row per step
step_offsets as (

    {%- for j in range(0, max_steps) %}
    select {{ j }} as step_offset
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

ordered_steps as (

    select
        chain.funnel_name,
        chain.person_id,
        chain.entry_event_id,
        chain.entry_at,
        chain.window_end_us,
        chain.entry_step,
        chain.entry_step + step_offsets.step_offset as step_number,
        case step_offsets.step_offset
            when 0 then chain.entry_at
            {%- for j in range(1, max_steps) %}
            when {{ j }} then chain.at_{{ j }}
            {%- endfor %}
        end as step_at,
        case step_offsets.step_offset
            when 0 then chain.entry_event_id
            {%- for j in range(1, max_steps) %}
            when {{ j }} then chain.event_id_{{ j }}
            {%- endfor %}
        end as step_event_id,
        case step_offsets.step_offset
            when 1 then chain.entry_at
            {%- for j in range(2, max_steps) %}
            when {{ j }} then chain.at_{{ j - 1 }}
            {%- endfor %}
        end as previous_step_at
    from chain
    cross join step_offsets
    where
        case step_offsets.step_offset
            when 0 then chain.entry_at
            {%- for j in range(1, max_steps) %}
            when {{ j }} then chain.at_{{ j }}
            {%- endfor %}
        end is not null

),
{%- endmacro %}
