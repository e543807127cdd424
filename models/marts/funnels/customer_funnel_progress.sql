-- One row per person (stitched customer, or anonymous visitor never identified) per
-- funnel they entered: the attempt that reached the furthest step (ties: the earliest
-- entry), each step's time, and the values breakdowns attribute the person to. The best
-- attempt is int_funnel_person_best_attempts (kept incrementally by person, in long
-- form: one row per step reached), pivoted here to one timestamp column per step.
with best_attempt_steps as (

    select * from {{ ref('int_funnel_person_best_attempts') }}

),

best_attempts as (

    select
        funnel_name,
        person_id,
        customer_id,
        entry_event_id,
        entry_at,
        entry_step,
        furthest_step,
        entry_platform,
        {%- for k in range(1, funnel_max_steps() + 1) %}
        max(case when step_number = {{ k }} then step_at end) as step_{{ k }}_at,
        {%- endfor %}
        attempt_count
    from best_attempt_steps
    group by
        funnel_name,
        person_id,
        customer_id,
        entry_event_id,
        entry_at,
        entry_step,
        furthest_step,
        entry_platform,
        attempt_count

),

funnel_steps as (

    select * from {{ ref('int_funnel_steps') }}

),

acquisition as (

    select * from {{ ref('int_person_acquisition') }}

),

final as (

    select
        best_attempts.funnel_name,
        best_attempts.person_id,
        best_attempts.customer_id,
        best_attempts.customer_id is not null as is_identified,
        best_attempts.entry_event_id,
        best_attempts.entry_at,
        best_attempts.entry_step,
        best_attempts.furthest_step,
        funnel_steps.step_name as furthest_step_name,
        best_attempts.furthest_step = funnel_steps.step_count as has_completed_funnel,
        {%- for k in range(1, funnel_max_steps() + 1) %}
        best_attempts.step_{{ k }}_at,
        {%- endfor %}
        coalesce(best_attempts.entry_platform, 'unknown') as entry_platform,
        coalesce(acquisition.acquisition_channel, 'unknown') as first_touch_channel,
        best_attempts.attempt_count
    from best_attempts
    inner join funnel_steps
        on
            best_attempts.funnel_name = funnel_steps.funnel_name
            and best_attempts.furthest_step = funnel_steps.step_number
    left join acquisition
        on best_attempts.person_id = acquisition.person_id

)

select * from final
