-- One row per funnel per week of entry (Monday start) per step: the funnel measures over
-- each person's best attempt that entered in that week (the best of their daily ones).
-- `is_window_complete` is false while the conversion window of the week's last possible
-- entry has not closed by the as-of date: such a week can still convert, so a low rate
-- there is not a drop. The week rows of funnel_conversion_trends when week is one of its
-- grains, else the same query (macro funnel_trend_query) for the week alone: a table of
-- its own for the semantic layer, whatever the trend grains.
-- depends_on: {{ ref('funnel_conversion_trends') }} (read when week is a trend grain)
{%- if 'week' in funnel_trend_grains() %}
with trends as (

    select * from {{ ref('funnel_conversion_trends') }}

),

final as (

    select
        trends.period_start as entry_week_start,
        {{ funnel_trend_measure_columns('trends') }},
        trends.is_window_complete
    from trends
    where trends.period_grain = 'week'

)

select * from final
{%- else %}
{{ funnel_trend_query(['week'], period_column='entry_week_start', grain_column=none) }}
{%- endif %}
