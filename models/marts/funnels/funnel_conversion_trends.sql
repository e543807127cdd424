-- One row per trend grain (var `funnel_trend_grains`: day, week, month), period of entry,
-- funnel and step: the funnel measures over each person's best attempt that entered in
-- the period (the best of their daily ones, macro funnel_period_best_attempts), so a
-- person counts once per period they entered in. `is_window_complete` is false while the
-- conversion window of the period's last possible entry has not closed by the as-of
-- date (macro funnel_period_is_complete): such a period can still convert.
{%- set grains = choice_list_var('funnel_trend_grains', ['day', 'week', 'month'], ['day', 'week', 'month']) %}
with as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

funnel_steps as (

    select * from {{ ref('int_funnel_steps') }}

),

daily_steps as (

    select * from {{ ref('int_funnel_daily_best_attempts') }}

),

period_steps as (

    {%- for grain in grains %}
    select
        cast('{{ grain }}' as {{ dbt.type_string() }}) as period_grain,
        period_best.*
    from (
        {{ funnel_period_best_attempts('daily_steps', grain) | indent(8) }}
    ) as period_best
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

{{ funnel_step_stats('period_steps', 'funnel_steps', group_by=['period_grain', 'period_start']) }},

final as (

    select
        step_stats.period_grain,
        step_stats.period_start,
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
        case step_stats.period_grain
            {%- for grain in grains %}
            when '{{ grain }}' then {{ funnel_period_is_complete(
                'step_stats.period_start', grain, 'funnel_steps', 'as_of.as_of_date'
            ) }}
            {%- endfor %}
        end as is_window_complete
    from step_stats
    inner join funnel_steps
        on
            step_stats.funnel_name = funnel_steps.funnel_name
            and step_stats.step_number = funnel_steps.step_number
    cross join as_of

)

select * from final
