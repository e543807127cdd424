-- One row per trend grain (var `funnel_trend_grains`: day, week, month), period of entry,
-- funnel and step: the funnel measures over each person's best attempt that entered in
-- the period. The rows of int_funnel_period_trends, which keeps them incrementally,
-- without its run stamp.
with trends as (

    select * from {{ ref('int_funnel_period_trends') }}

),

final as (

    select
        trends.period_grain,
        trends.period_start,
        {{ funnel_trend_measure_columns('trends') }},
        trends.is_window_complete
    from trends

)

select * from final
