-- One row per person, funnel and step reached by the person's best attempt over all
-- days (the best of their daily best attempts under the same order, macro
-- best_attempt_order, through funnel_period_best_attempts), in long form, with their
-- attempts on all days. customer_funnel_progress pivots it, so a daily run ranks only
-- the changed people's days, not everyone's.
-- Incremental by person: recomputes the people the change log (int_person_stream_changes)
-- listed after this model's latest run, and replaces their stored rows.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config()) }}

with {{ changed_people_ctes(ref('int_funnel_daily_best_attempts'), 'daily_steps') }}

best_steps as (

    {{ funnel_period_best_attempts('daily_steps', 'all') | indent(4) }}

),

final as (

    select
        best_steps.*,
        {{ run_stamp() }} as processed_at
    from best_steps

)

select * from final
