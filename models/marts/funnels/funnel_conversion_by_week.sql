-- One row per funnel per week of entry (Monday start) per step: the funnel measures over
-- each person's best attempt that entered in that week. `is_window_complete` is false
-- while the conversion window of the week's last possible entry has not closed by the
-- as-of date: such a week can still convert, so a low rate there is not a drop.
{#- each person's best attempt per week of entry, read by name: a CTE read twice (by
    funnel_step_stats) is materialised first -#}
{%- set progress = ref('int_funnel_weekly_best_attempts') %}
with as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

funnel_steps as (

    select * from {{ ref('int_funnel_steps') }}

),

{{ funnel_step_stats(progress, 'funnel_steps', group_by=['entry_week_start']) }},

final as (

    select
        step_stats.entry_week_start,
        step_stats.funnel_name,
        step_stats.step_number,
        step_stats.step_name,
        step_stats.order_mode,
        step_stats.conversion_window,
        step_stats.conversion_window_unit,
        step_stats.people_entered,
        step_stats.people_reached,
        step_stats.people_dropped,
        step_stats.step_conversion_rate,
        step_stats.overall_conversion_rate,
        step_stats.median_seconds_from_previous_step,
        step_stats.mean_seconds_from_previous_step,
        step_stats.median_seconds_from_entry,
        step_stats.mean_seconds_from_entry,
        -- an entry just before the next Monday plus the window must be observed in full,
        -- that is by the end of the as-of date
        {{ funnel_window_end_us(
            'cast(' ~ dbt.dateadd('day', 7, 'step_stats.entry_week_start') ~ ' as ' ~ dbt.type_timestamp() ~ ')',
            'funnel_steps'
        ) }}
        <= {{ epoch_microseconds(
            'cast(' ~ dbt.dateadd('day', 1, 'as_of.as_of_date') ~ ' as ' ~ dbt.type_timestamp() ~ ')'
        ) }} as is_window_complete
    from step_stats
    inner join funnel_steps
        on
            step_stats.funnel_name = funnel_steps.funnel_name
            and step_stats.step_number = funnel_steps.step_number
    cross join as_of

)

select * from final
