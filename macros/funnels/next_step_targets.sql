{#- For each row of `sources` (exactly the columns of funnel_attempt_steps' sources CTE:
    funnel_name, person_id, event_id, occurred_at, event_position, after_position,
    window_end_us, order_mode, pair_step), the first row of `targets` (funnel_name,
    person_id, pair_step, event_id, event_position, occurred_at) of the same funnel, person
    and pair step whose event_position is greater than after_position: the source's
    columns plus next_position, next_at and next_event_id. Sources with no
    such target are left out. The one definition of "the next step's event" in the funnel
    engine (funnel_attempt_steps); engines differ only in how they find it. -#}
{% macro next_step_targets(sources, targets) %}
    {{ return(adapter.dispatch('next_step_targets', 'customer_lifecycle')(sources, targets)) }}
{% endmacro %}

{#- Portable: sources and targets in one sorted stream per funnel, person and pair step; a
    source's next target is the least target position in the rows after it (a target
    sorts before a source at the same position, so position > after_position holds); its
    event id is joined back by that position, which names one event of the person. -#}
{% macro default__next_step_targets(sources, targets) %}
    {{ next_step_targets_by_window(sources, targets, first_event_id_in_window=false) }}
{% endmacro %}

{#- Spark: the event id is the first non-NULL one in the same window (ignoring NULLs), not
    a join back: Spark inlines the targets CTE at each use, so a join back would plan the
    engine's whole event stream once more; the window takes the id in the same pass. -#}
{% macro spark__next_step_targets(sources, targets) %}
    {{ next_step_targets_by_window(sources, targets, first_event_id_in_window=true) }}
{% endmacro %}

{#- The window form of next_step_targets shared by the default and Spark. -#}
{% macro next_step_targets_by_window(sources, targets, first_event_id_in_window) %}
    {%- set following -%}
        partition by stream.funnel_name, stream.person_id, stream.pair_step
                order by stream.sort_position, stream.is_source
                rows between current row and unbounded following
    {%- endset %}
    select
        scanned.funnel_name,
        scanned.person_id,
        scanned.event_id,
        scanned.occurred_at,
        scanned.event_position,
        scanned.after_position,
        scanned.window_end_us,
        scanned.order_mode,
        scanned.pair_step,
        scanned.next_position,
        scanned.next_at,
        {%- if first_event_id_in_window %}
        scanned.next_event_id
        {%- else %}
        next_targets.event_id as next_event_id
        {%- endif %}
    from (
        select
            stream.*,
            min(case when stream.is_source = 0 then stream.event_position end) over (
                {{ following }}
            ) as next_position,
            min(case when stream.is_source = 0 then stream.occurred_at end) over (
                {{ following }}
            ) as next_at
            {%- if first_event_id_in_window %},
            first(case when stream.is_source = 0 then stream.target_event_id end, true) over (
                {{ following }}
            ) as next_event_id
            {%- endif %}
        from (
            select
                funnel_name,
                person_id,
                event_id,
                cast(null as {{ dbt.type_string() }}) as target_event_id,
                occurred_at,
                event_position,
                after_position,
                window_end_us,
                order_mode,
                pair_step,
                after_position as sort_position,
                1 as is_source
            from {{ sources }}
            union all
            select
                funnel_name,
                person_id,
                cast(null as {{ dbt.type_string() }}) as event_id,
                event_id as target_event_id,
                occurred_at,
                event_position,
                cast(null as {{ dbt.type_bigint() }}) as after_position,
                cast(null as {{ dbt.type_bigint() }}) as window_end_us,
                cast(null as {{ dbt.type_string() }}) as order_mode,
                pair_step,
                event_position as sort_position,
                0 as is_source
            from {{ targets }}
        ) as stream
    ) as scanned
    {%- if first_event_id_in_window %}
    where scanned.is_source = 1 and scanned.next_position is not null
    {%- else %}
    inner join {{ targets }} as next_targets
        on
            scanned.funnel_name = next_targets.funnel_name
            and scanned.person_id = next_targets.person_id
            and scanned.pair_step = next_targets.pair_step
            and scanned.next_position = next_targets.event_position
    where scanned.is_source = 1
    {%- endif %}
{% endmacro %}

{#- DuckDB: an ASOF join finds the nearest target past each source directly, faster than
    the window (docs/performance.md). -#}
{% macro duckdb__next_step_targets(sources, targets) %}
    select
        sources.*,
        targets.event_position as next_position,
        targets.occurred_at as next_at,
        targets.event_id as next_event_id
    from {{ sources }} as sources
    asof inner join {{ targets }} as targets
        on
            sources.funnel_name = targets.funnel_name
            and sources.person_id = targets.person_id
            and sources.pair_step = targets.pair_step
            and targets.event_position > sources.after_position
{% endmacro %}
