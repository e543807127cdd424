-- funnel_conversion_trends' week rows (when var funnel_trend_grains has week) are
-- funnel_conversion_by_week's rows: the same people entered and reached, the same
-- completeness flag. Returns the rows that differ or exist on one side only.
with trend_weeks as (

    select * from {{ ref('funnel_conversion_trends') }}
    where period_grain = 'week'

),

by_week as (

    select * from {{ ref('funnel_conversion_by_week') }}

),

has_weeks as (

    select count(*) as week_rows from trend_weeks

)

select
    coalesce(by_week.funnel_name, trend_weeks.funnel_name) as funnel_name,
    coalesce(by_week.entry_week_start, trend_weeks.period_start) as entry_week_start,
    coalesce(by_week.step_number, trend_weeks.step_number) as step_number
from by_week
full outer join trend_weeks
    on
        by_week.funnel_name = trend_weeks.funnel_name
        and by_week.entry_week_start = trend_weeks.period_start
        and by_week.step_number = trend_weeks.step_number
cross join has_weeks
where
    has_weeks.week_rows > 0
    and (
        by_week.funnel_name is null
        or trend_weeks.funnel_name is null
        or by_week.people_entered != trend_weeks.people_entered
        or by_week.people_reached != trend_weeks.people_reached
        or by_week.is_window_complete != trend_weeks.is_window_complete
    )
