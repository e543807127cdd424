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

{{ funnel_step_stats(progress, ref('int_funnel_steps'), group_by=['entry_week_start']) }},

final as (

    select
        step_stats.entry_week_start,
        step_stats.funnel_name,
        step_stats.step_number,
        step_stats.step_name,
        step_stats.order_mode,
        step_stats.conversion_window_days,
        step_stats.people_entered,
        step_stats.people_reached,
        step_stats.people_dropped,
        step_stats.step_conversion_rate,
        step_stats.overall_conversion_rate,
        step_stats.median_seconds_from_previous_step,
        step_stats.mean_seconds_from_previous_step,
        step_stats.median_seconds_from_entry,
        step_stats.mean_seconds_from_entry,
        -- the week's last entry day (Sunday) plus the window must be observed in full
        {{ dbt.dateadd('day', '6 + step_stats.conversion_window_days', 'step_stats.entry_week_start') }}
        <= as_of.as_of_date as is_window_complete
    from step_stats
    cross join as_of

)

select * from final
