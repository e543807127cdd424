-- One row per funnel per week of entry (Monday start) per step: the funnel measures over
-- each person's best attempt that entered in that week (the best of their daily ones,
-- macro funnel_period_best_attempts). `is_window_complete` is false while the conversion
-- window of the week's last possible entry has not closed by the as-of date: such a week
-- can still convert, so a low rate there is not a drop. funnel_conversion_trends has the
-- same measures by day, week and month; this table keeps the weekly grain the semantic
-- layer reads.
with as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

funnel_steps as (

    select * from {{ ref('int_funnel_steps') }}

),

daily_steps as (

    select * from {{ ref('int_funnel_daily_best_attempts') }}

),

weekly_steps as (

    {{ funnel_period_best_attempts('daily_steps', 'week') | indent(4) }}

),

{{ funnel_step_stats('weekly_steps', 'funnel_steps', group_by=['period_start']) }},

final as (

    select
        step_stats.period_start as entry_week_start,
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
        {{ funnel_period_is_complete('step_stats.period_start', 'week', 'funnel_steps', 'as_of.as_of_date') }}
            as is_window_complete
    from step_stats
    inner join funnel_steps
        on
            step_stats.funnel_name = funnel_steps.funnel_name
            and step_stats.step_number = funnel_steps.step_number
    cross join as_of

)

select * from final
