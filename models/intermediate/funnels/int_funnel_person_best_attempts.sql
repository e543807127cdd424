-- One row per person per funnel they entered: their best attempt over all weeks (the
-- best of their weekly best attempts under the same order, macro best_attempt_order) and
-- their attempts in all weeks. customer_funnel_progress adds step names and breakdown
-- values to it, so a daily run ranks only the changed people's weeks, not everyone's.
-- Incremental by person: recomputes the people the change log (int_person_stream_changes)
-- listed after this model's latest run, and replaces their stored rows.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config()) }}

with {{ changed_people_ctes(ref('int_funnel_weekly_best_attempts'), 'attempts') }}

ranked as (

    select
        attempts.*,
        sum(attempts.attempt_count) over (
            partition by attempts.funnel_name, attempts.person_id
        ) as attempts_in_all_weeks,
        row_number() over (
            partition by attempts.funnel_name, attempts.person_id
            order by {{ best_attempt_order('attempts') }}
        ) as attempt_rank
    from attempts

),

final as (

    select
        funnel_name,
        person_id,
        {{- attempt_columns() }}
        cast(attempts_in_all_weeks as {{ dbt.type_int() }}) as attempt_count,
        {{ run_stamp() }} as processed_at
    from ranked
    where attempt_rank = 1

)

select * from final
