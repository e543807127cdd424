{#- CTEs that turn one row per person per funnel (columns funnel_name, entry_at,
    entry_step, furthest_step, step_1_at .. step_N_at, plus `group_by` columns) into one
    row per group per funnel step, in a final CTE named `step_stats`: people entered and
    reached, step and overall conversion, and median / mean seconds from the previous
    step and from entry. The one definition of the funnel measures, used by every
    funnel_conversion mart. Reached step n = furthest step >= n, so counts never rise
    from one step to the next. Durations are whole microseconds summed exactly; only
    people with both timestamps count (a skipped step of an open-entry funnel has none). -#}
{% macro funnel_step_stats(progress, funnel_steps, group_by=[]) %}
{%- set max_steps = funnel_max_steps() -%}
{%- set groups = [] -%}
{%- for column in group_by %}{% do groups.append('person_steps.' ~ column) %}{% endfor -%}
{%- set group_list = (groups | join(', ') ~ ', ') if groups else '' -%}
person_steps as (

    select
        {%- for column in group_by %}
        {{ progress }}.{{ column }},
        {%- endfor %}
        funnel_steps.funnel_name,
        funnel_steps.step_number,
        funnel_steps.step_name,
        funnel_steps.order_mode,
        funnel_steps.conversion_window_days,
        {{ progress }}.furthest_step >= funnel_steps.step_number as is_reached,
        {{ progress }}.furthest_step >= funnel_steps.step_number - 1 as is_previous_reached,
        {{ progress }}.entry_step,
        {{ progress }}.entry_at,
        case funnel_steps.step_number
            {%- for k in range(1, max_steps + 1) %}
            when {{ k }} then {{ progress }}.step_{{ k }}_at
            {%- endfor %}
        end as step_at,
        case funnel_steps.step_number
            {%- for k in range(2, max_steps + 1) %}
            when {{ k }} then {{ progress }}.step_{{ k - 1 }}_at
            {%- endfor %}
        end as previous_step_at
    from {{ progress }}
    inner join {{ funnel_steps }} as funnel_steps
        on {{ progress }}.funnel_name = funnel_steps.funnel_name

),

step_durations as (

    select
        person_steps.*,
        case
            when person_steps.is_reached
                then {{ epoch_microseconds('person_steps.step_at') }}
                - {{ epoch_microseconds('person_steps.previous_step_at') }}
        end as microseconds_from_previous_step,
        case
            when person_steps.is_reached and person_steps.step_number > person_steps.entry_step
                then {{ epoch_microseconds('person_steps.step_at') }}
                - {{ epoch_microseconds('person_steps.entry_at') }}
        end as microseconds_from_entry
    from person_steps

),

step_totals as (

    select
        {{ group_list }}
        person_steps.funnel_name,
        person_steps.step_number,
        person_steps.step_name,
        person_steps.order_mode,
        person_steps.conversion_window_days,
        count(*) as people_entered,
        sum(case when person_steps.is_reached then 1 else 0 end) as people_reached,
        sum(case when person_steps.is_previous_reached then 1 else 0 end) as people_reached_previous,
        {{ median('person_steps.microseconds_from_previous_step') }} as median_microseconds_from_previous_step,
        sum(cast(person_steps.microseconds_from_previous_step as decimal(38, 0)))
            as total_microseconds_from_previous_step,
        count(person_steps.microseconds_from_previous_step) as timed_from_previous_step,
        {{ median('person_steps.microseconds_from_entry') }} as median_microseconds_from_entry,
        sum(cast(person_steps.microseconds_from_entry as decimal(38, 0))) as total_microseconds_from_entry,
        count(person_steps.microseconds_from_entry) as timed_from_entry
    from step_durations as person_steps
    group by
        {{ group_list }}
        person_steps.funnel_name,
        person_steps.step_number,
        person_steps.step_name,
        person_steps.order_mode,
        person_steps.conversion_window_days

),

step_stats as (

    select
        {%- for column in group_by %}
        {{ column }},
        {%- endfor %}
        funnel_name,
        step_number,
        step_name,
        order_mode,
        conversion_window_days,
        cast(people_entered as {{ dbt.type_int() }}) as people_entered,
        cast(people_reached as {{ dbt.type_int() }}) as people_reached,
        cast(people_reached_previous - people_reached as {{ dbt.type_int() }}) as people_dropped,
        {{ rate('people_reached', 'people_reached_previous') }} as step_conversion_rate,
        {{ rate('people_reached', 'people_entered') }} as overall_conversion_rate,
        cast(median_microseconds_from_previous_step as {{ type_double() }}) / 1000000 as median_seconds_from_previous_step,
        {{ rate('total_microseconds_from_previous_step', 'timed_from_previous_step') }} / 1000000
            as mean_seconds_from_previous_step,
        cast(median_microseconds_from_entry as {{ type_double() }}) / 1000000 as median_seconds_from_entry,
        {{ rate('total_microseconds_from_entry', 'timed_from_entry') }} / 1000000 as mean_seconds_from_entry
    from step_totals

)
{%- endmacro %}
