-- One row per trend grain (var `funnel_trend_grains`: day, week, month), period of
-- entry, person, funnel and step reached by the person's best attempt that entered in the
-- period (the best of their daily best attempts, macro funnel_period_best_attempts), with
-- their attempts in the period. funnel_conversion_trends counts these rows per period, so
-- a daily run ranks only the changed people's recent periods, not everyone's history.
-- Incremental by person on the change log (int_person_stream_changes): a person's period
-- is the best of their days in it, so a run recomputes each logged person's periods from
-- the one holding the first day int_funnel_daily_best_attempts recomputed for them (macro
-- funnel_periods_to_recompute), and the post-hook deletes their stored rows of those
-- periods. Changing the funnel seeds, funnel vars or trend grains needs --full-refresh.
-- depends_on: {{ ref('int_person_stream_changes') }}, {{ ref('int_funnel_steps') }} (read on incremental runs only)
{%- set grains = funnel_trend_grains() %}
{{ config(**incremental_by_changed_people_config(
    replace_hook="{{ replace_changed_periods(funnel_trend_grains()) }}"
)) }}
{#- the parent is named where a full build reads it: DuckDB materialises a CTE read twice #}
{%- set daily_steps = ref('int_funnel_daily_best_attempts') %}

with
{%- if is_incremental() %}

periods_to_recompute as (

    {{ funnel_periods_to_recompute(grains) | indent(4) }}

),
{%- for grain in grains %}

-- the changed people's days in the {{ grain }} periods this run recomputes
daily_steps_{{ grain }} as (

    select daily_steps.*
    from {{ daily_steps }} as daily_steps
    inner join periods_to_recompute
        on
            daily_steps.person_id = periods_to_recompute.person_id
            and periods_to_recompute.period_grain = '{{ grain }}'
            and {{ in_tail('daily_steps.entry_date', 'periods_to_recompute.from_period_start') }}

),
{%- endfor %}
{%- endif %}

period_steps as (
    {%- if is_incremental() %}
    {{ funnel_period_best_attempts_by_grain(grains, 'daily_steps', one_input_per_grain=true) }}
    {%- else %}
    {{ funnel_period_best_attempts_by_grain(grains, daily_steps) }}
    {%- endif %}

),

final as (

    select
        period_steps.*,
        {{ run_stamp() }} as processed_at
    from period_steps

)

select * from final
