-- One row per person, funnel and step reached by the person's best attempt over all
-- weeks (the best of their weekly best attempts under the same order, macro
-- best_attempt_order), in long form, with their attempts in all weeks.
-- customer_funnel_progress pivots it and adds step names and breakdown values, so a
-- daily run ranks only the changed people's weeks, not everyone's.
-- Incremental by person: recomputes the people the change log (int_person_stream_changes)
-- listed after this model's latest run, and replaces their stored rows.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config()) }}

with {{ changed_people_ctes(ref('int_funnel_weekly_best_attempts'), 'weekly_steps') }}

-- one row per person, funnel and week: the week's best attempt
weekly_attempts as (

    select
        funnel_name,
        person_id,
        entry_week_start,
        entry_event_id,
        entry_at,
        furthest_step,
        attempt_count
    from weekly_steps
    where step_number = furthest_step

),

ranked as (

    select
        weekly_attempts.*,
        sum(weekly_attempts.attempt_count) over (
            partition by weekly_attempts.funnel_name, weekly_attempts.person_id
        ) as attempts_in_all_weeks,
        row_number() over (
            partition by weekly_attempts.funnel_name, weekly_attempts.person_id
            order by {{ best_attempt_order('weekly_attempts') }}
        ) as attempt_rank
    from weekly_attempts

),

final as (

    select
        weekly_steps.funnel_name,
        weekly_steps.person_id,
        weekly_steps.customer_id,
        weekly_steps.entry_event_id,
        weekly_steps.entry_at,
        weekly_steps.entry_step,
        weekly_steps.entry_platform,
        weekly_steps.furthest_step,
        cast(best.attempts_in_all_weeks as {{ dbt.type_int() }}) as attempt_count,
        weekly_steps.step_number,
        weekly_steps.step_at,
        weekly_steps.step_event_id,
        weekly_steps.step_platform,
        weekly_steps.previous_step_at,
        {{ run_stamp() }} as processed_at
    from ranked as best
    inner join weekly_steps
        on
            best.funnel_name = weekly_steps.funnel_name
            and best.person_id = weekly_steps.person_id
            and best.entry_week_start = weekly_steps.entry_week_start
    where best.attempt_rank = 1

)

select * from final
