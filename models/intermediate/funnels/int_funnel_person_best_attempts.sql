-- One row per person, funnel and step reached by the person's best attempt over all
-- days, in long form, with their attempts on all days: the best of their best attempts
-- per period of the coarsest trend grain (int_funnel_period_best_attempts; macro
-- funnel_coarsest_trend_grain), under the same order (macro best_attempt_order, through
-- funnel_period_best_attempts). The order is total and every period is made of days, so
-- the best of the periods' best is the best of the days'; a month holds a person's best
-- of up to 31 days in one row per step. customer_funnel_progress pivots it, so a daily run
-- ranks only the changed people's periods, not everyone's.
-- Incremental by person: recomputes the people the change log (int_person_stream_changes)
-- listed after this model's latest run, and replaces their stored rows.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config()) }}

with {{ changed_people_ctes(ref('int_funnel_period_best_attempts'), 'period_steps') }}

coarsest_period_steps as (

    select
        {{ funnel_best_step_columns() }}
    from period_steps
    where period_grain = '{{ funnel_coarsest_trend_grain() }}'

),

best_steps as (

    {{ funnel_period_best_attempts('coarsest_period_steps', 'all') | indent(4) }}

),

final as (

    select
        best_steps.*,
        {{ run_stamp() }} as processed_at
    from best_steps

)

select * from final
