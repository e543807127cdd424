{#- CTEs that turn the steps of one attempt per person per funnel, in long form (one row
    per step reached: funnel_name, step_number, entry_at, entry_step, furthest_step,
    step_at, previous_step_at, plus `group_by` columns), into one row per group per
    funnel step, in a final CTE named `step_stats`: people entered and reached, step and
    overall conversion, and median / mean seconds from the previous step and from entry.
    The one definition of the funnel measures, used by every funnel_conversion mart.
    Reached step n = furthest step >= n, so counts never rise from one step to the next.
    Durations are whole microseconds summed exactly; only people with both timestamps
    count (a skipped step of an open-entry funnel has none). The counts come from how many
    people stopped at each step (a few rows per group), so the one big aggregate reads
    only the timed moves. `attempt_steps` is read twice: pass a relation, not a CTE over
    one, where possible (DuckDB materialises a CTE read twice). -#}
{% macro funnel_step_stats(attempt_steps, funnel_steps, group_by=[]) %}
{%- set group_list = (group_by | join(', ') ~ ', ') if group_by else '' -%}
-- per group and funnel, how many people stopped at each furthest step
furthest_steps as (

    select
        {{ group_list }}
        funnel_name,
        furthest_step,
        count(*) as people
    from {{ attempt_steps }} as attempt_steps
    where step_number = furthest_step
    group by
        {{ group_list }}
        funnel_name,
        furthest_step

),

-- per step: everyone entered; those who stopped at or after it reached it
step_people as (

    select
        {%- for column in group_by %}
        furthest_steps.{{ column }},
        {%- endfor %}
        funnel_steps.funnel_name,
        funnel_steps.step_number,
        furthest_steps.people as people_entered,
        case when furthest_steps.furthest_step >= funnel_steps.step_number then furthest_steps.people else 0 end
            as people_reached,
        case when furthest_steps.furthest_step >= funnel_steps.step_number - 1 then furthest_steps.people else 0 end
            as people_reached_previous,
        cast(null as {{ dbt.type_bigint() }}) as microseconds_from_previous_step,
        cast(null as {{ dbt.type_bigint() }}) as microseconds_from_entry
    from furthest_steps
    inner join {{ funnel_steps }} as funnel_steps
        on furthest_steps.funnel_name = funnel_steps.funnel_name

),

-- one row per person per step they reached after the first: the timed moves
step_moves as (

    select
        {%- for column in group_by %}
        attempt_steps.{{ column }},
        {%- endfor %}
        attempt_steps.funnel_name,
        attempt_steps.step_number,
        attempt_steps.entry_step,
        attempt_steps.entry_at,
        attempt_steps.step_at,
        attempt_steps.previous_step_at
    from {{ attempt_steps }} as attempt_steps
    where attempt_steps.step_number >= 2

),

step_durations as (

    select
        {%- for column in group_by %}
        {{ column }},
        {%- endfor %}
        funnel_name,
        step_number,
        cast(0 as {{ dbt.type_bigint() }}) as people_entered,
        cast(0 as {{ dbt.type_bigint() }}) as people_reached,
        cast(0 as {{ dbt.type_bigint() }}) as people_reached_previous,
        {{ epoch_microseconds('step_at') }} - {{ epoch_microseconds('previous_step_at') }}
            as microseconds_from_previous_step,
        case
            when step_number > entry_step
                then {{ epoch_microseconds('step_at') }} - {{ epoch_microseconds('entry_at') }}
        end as microseconds_from_entry
    from step_moves

),

step_totals as (

    select
        {{ group_list }}
        step_rows.funnel_name,
        step_rows.step_number,
        sum(step_rows.people_entered) as people_entered,
        sum(step_rows.people_reached) as people_reached,
        sum(step_rows.people_reached_previous) as people_reached_previous,
        {{ median('step_rows.microseconds_from_previous_step') }} as median_microseconds_from_previous_step,
        sum(cast(step_rows.microseconds_from_previous_step as decimal(38, 0)))
            as total_microseconds_from_previous_step,
        count(step_rows.microseconds_from_previous_step) as timed_from_previous_step,
        {{ median('step_rows.microseconds_from_entry') }} as median_microseconds_from_entry,
        sum(cast(step_rows.microseconds_from_entry as decimal(38, 0))) as total_microseconds_from_entry,
        count(step_rows.microseconds_from_entry) as timed_from_entry
    from (
        select * from step_people
        union all
        select * from step_durations
    ) as step_rows
    group by
        {{ group_list }}
        step_rows.funnel_name,
        step_rows.step_number

),

step_stats as (

    select
        {%- for column in group_by %}
        step_totals.{{ column }},
        {%- endfor %}
        step_totals.funnel_name,
        step_totals.step_number,
        funnel_steps.step_name,
        funnel_steps.order_mode,
        funnel_steps.conversion_window,
        funnel_steps.conversion_window_unit,
        cast(step_totals.people_entered as {{ dbt.type_int() }}) as people_entered,
        cast(step_totals.people_reached as {{ dbt.type_int() }}) as people_reached,
        cast(step_totals.people_reached_previous - step_totals.people_reached as {{ dbt.type_int() }})
            as people_dropped,
        {{ rate('step_totals.people_reached', 'step_totals.people_reached_previous') }} as step_conversion_rate,
        {{ rate('step_totals.people_reached', 'step_totals.people_entered') }} as overall_conversion_rate,
        cast(step_totals.median_microseconds_from_previous_step as {{ type_double() }}) / 1000000
            as median_seconds_from_previous_step,
        {{ rate('step_totals.total_microseconds_from_previous_step', 'step_totals.timed_from_previous_step') }}
        / 1000000 as mean_seconds_from_previous_step,
        cast(step_totals.median_microseconds_from_entry as {{ type_double() }}) / 1000000
            as median_seconds_from_entry,
        {{ rate('step_totals.total_microseconds_from_entry', 'step_totals.timed_from_entry') }} / 1000000
            as mean_seconds_from_entry
    from step_totals
    inner join {{ funnel_steps }} as funnel_steps
        on
            step_totals.funnel_name = funnel_steps.funnel_name
            and step_totals.step_number = funnel_steps.step_number

)
{%- endmacro %}
