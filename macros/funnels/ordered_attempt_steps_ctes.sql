{#- The ordered and strict attempts of the funnel engine (funnel_attempt_steps), as CTEs
    ending in `ordered_steps` (funnel_name, person_id, entry_event_id, entry_at,
    window_end_us, entry_step, step_number, step_at, step_event_id, previous_step_at: one row per attempt
    and step reached), from the engine's CTEs `entries` (each attempt's entry event) and
    `links` (from a step k - 1 event to the step k event after it). Each attempt follows
    its links from its entry, one step at a time, inside its window; the engines differ
    only in the shape of that SQL. -#}
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

{#- Spark inlines every CTE where it is read, so a join to `links` per step would plan the
    engine's whole event stream once per step: each person's links are gathered once into
    a map (key: pair step and source position), and each attempt follows them by lookups,
    one CTE per step, each read once; then one row per step by a cross join with the step
    offsets. -#}
{% macro spark__ordered_attempt_steps_ctes() %}
{%- set max_steps = funnel_max_steps() -%}
{#- a link's map key: its pair step and its source's position in one bigint (positions
    stay below 2^32) -#}
{%- set position_base = 4294967296 -%}
{%- set carried = ['funnel_name', 'person_id', 'entry_event_id', 'entry_at', 'entry_step', 'window_end_us', 'link_map'] -%}
-- ordered and strict: every link of a funnel and person in one map, read once
person_links as (

    select
        funnel_name,
        person_id,
        map_from_entries(collect_list(struct(
            cast(pair_step as bigint) * {{ position_base }} + event_position,
            struct(next_position, next_at, next_event_id)
        ))) as link_map
    from links
    group by funnel_name, person_id

),

chain_0 as (

    select
        entries.funnel_name,
        entries.person_id,
        entries.entry_event_id,
        entries.entry_at,
        entries.entry_step,
        entries.window_end_us,
        person_links.link_map,
        entries.event_position as position_0
    from entries
    left join person_links
        on
            entries.funnel_name = person_links.funnel_name
            and entries.person_id = person_links.person_id

),
{%- for j in range(1, max_steps) %}

-- step entry_step + {{ j }}: the link from step entry_step + {{ j - 1 }}'s event, kept inside the
-- window (a missing or late link ends the attempt: every later position is NULL)
chain_{{ j }} as (

    select
        {%- for column in carried %}
        looked_up.{{ column }},
        {%- endfor %}
        {%- for i in range(1, j) %}
        looked_up.at_{{ i }},
        looked_up.event_id_{{ i }},
        {%- endfor %}
        {%- for field, name in [('next_at', 'at'), ('next_event_id', 'event_id'), ('next_position', 'position')] %}
        case
            when {{ epoch_microseconds('looked_up.found.next_at') }} <= looked_up.window_end_us
                then looked_up.found.{{ field }}
        end as {{ name }}_{{ j }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (
        select
            *,
            try_element_at(
                link_map, cast(entry_step + {{ j }} as bigint) * {{ position_base }} + position_{{ j - 1 }}
            ) as found
        from chain_{{ j - 1 }}
    ) as looked_up

),
{%- endfor %}

chain as (

    select * from chain_{{ max_steps - 1 }}

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
