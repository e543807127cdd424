-- One row per trend grain (var `funnel_trend_grains`: day, week, month), period of
-- entry, person, funnel and step reached by the person's best attempt that entered in the
-- period (the best of their daily best attempts, macro funnel_period_best_attempts), with
-- their attempts in the period. funnel_conversion_trends counts these rows per period, so
-- a daily run ranks only the changed people's days, not everyone's.
-- Incremental by person: recomputes the people the change log (int_person_stream_changes)
-- listed after this model's latest run, whole, and replaces their stored rows. Changing
-- the funnel seeds, funnel vars or trend grains needs --full-refresh.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config()) }}

with {{ changed_people_ctes(ref('int_funnel_daily_best_attempts'), 'daily_steps') }}

period_steps as (

    {%- for grain in funnel_trend_grains() %}
    select
        cast('{{ grain }}' as {{ dbt.type_string() }}) as period_grain,
        period_best.*
    from (
        {{ funnel_period_best_attempts('daily_steps', grain) | indent(8) }}
    ) as period_best
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        period_steps.*,
        {{ run_stamp() }} as processed_at
    from period_steps

)

select * from final
