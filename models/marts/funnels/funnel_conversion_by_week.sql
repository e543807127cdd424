-- One row per funnel per week of entry (Monday start) per step: the funnel measures over
-- each person's best attempt that entered in that week (the best of their daily ones).
-- `is_window_complete` is false while the conversion window of the week's last possible
-- entry has not closed by the as-of date: such a week can still convert, so a low rate
-- there is not a drop. The same query as funnel_conversion_trends' week rows (macro
-- funnel_trend_query), kept as its own table for the semantic layer, whatever the trend
-- grains.
{{ funnel_trend_query(['week'], period_column='entry_week_start', grain_column=none) }}
