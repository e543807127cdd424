-- One row per breakdown value per funnel per step: the funnel measures split by the
-- person's first-touch channel and by the platform of their step-1 event (the entry
-- event of the best attempt), so each person counts under exactly one value.
with customer_progress as (

    select * from {{ ref('customer_funnel_progress') }}

),

best_attempt_steps as (

    select * from {{ ref('int_funnel_person_best_attempts') }}

),

-- each step of a person's best attempt with the person's breakdown values
valued_steps as (

    select
        best_attempt_steps.*,
        customer_progress.first_touch_channel,
        customer_progress.entry_platform as breakdown_platform
    from best_attempt_steps
    inner join customer_progress
        on
            best_attempt_steps.funnel_name = customer_progress.funnel_name
            and best_attempt_steps.person_id = customer_progress.person_id

),

progress as (

    select
        'first_touch_channel' as breakdown_dimension,
        valued_steps.first_touch_channel as breakdown_value,
        valued_steps.*
    from valued_steps

    union all

    select
        'platform' as breakdown_dimension,
        valued_steps.breakdown_platform as breakdown_value,
        valued_steps.*
    from valued_steps

),

{{ funnel_step_stats('progress', ref('int_funnel_steps'), group_by=['breakdown_dimension', 'breakdown_value']) }},

final as (

    select * from step_stats

)

select * from final
