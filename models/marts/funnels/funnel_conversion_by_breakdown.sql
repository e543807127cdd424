-- One row per breakdown value per funnel per step: the funnel measures split by the
-- person's first-touch channel and by the platform of their step-1 event (the entry
-- event of the best attempt), so each person counts under exactly one value.
with customer_progress as (

    select * from {{ ref('customer_funnel_progress') }}

),

progress as (

    select
        'first_touch_channel' as breakdown_dimension,
        customer_progress.first_touch_channel as breakdown_value,
        customer_progress.*
    from customer_progress

    union all

    select
        'platform' as breakdown_dimension,
        customer_progress.entry_platform as breakdown_value,
        customer_progress.*
    from customer_progress

),

{{ funnel_step_stats('progress', ref('int_funnel_steps'), group_by=['breakdown_dimension', 'breakdown_value']) }},

final as (

    select * from step_stats

)

select * from final
