-- One row per funnel per step: people who reached it (from each person's best attempt),
-- step and overall conversion, and time from the previous step and from entry.
with funnel_steps as (

    select * from {{ ref('int_funnel_steps') }}

),

{#- each person's best attempt, read by name: funnel_step_stats reads it twice -#}
{{ funnel_step_stats(ref('customer_funnel_progress'), 'funnel_steps') }},

final as (

    select * from step_stats

)

select * from final
