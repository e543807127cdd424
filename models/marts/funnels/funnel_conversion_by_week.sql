-- One row per funnel per week of entry (Monday start) per step: the funnel measures over
-- each person's best attempt that entered in that week. `is_window_complete` is false
-- while the conversion window of the week's last possible entry has not closed by the
-- as-of date: such a week can still convert, so a low rate there is not a drop.
with attempts as (

    select * from {{ ref('int_funnel_attempts') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

weekly_attempts as (

    select
        attempts.*,
        cast({{ dbt.date_trunc('week', 'attempts.entry_at') }} as date) as entry_week_start
    from attempts

),

progress as (

    select *
    from (
        select
            weekly_attempts.*,
            row_number() over (
                partition by weekly_attempts.funnel_name, weekly_attempts.person_id, weekly_attempts.entry_week_start
                order by
                    weekly_attempts.furthest_step desc,
                    weekly_attempts.entry_at asc,
                    weekly_attempts.entry_event_id asc
            ) as attempt_rank
        from weekly_attempts
    ) as ranked
    where attempt_rank = 1

),

{{ funnel_step_stats('progress', ref('int_funnel_steps'), group_by=['entry_week_start']) }},

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
