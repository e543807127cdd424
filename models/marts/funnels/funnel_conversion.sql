-- One row per funnel per step: people who reached it (from each person's best attempt),
-- step and overall conversion, and time from the previous step and from entry.
-- each person's best attempt (long form) is read by name: funnel_step_stats reads it twice
with {{ funnel_step_stats(ref('int_funnel_person_best_attempts'), ref('int_funnel_steps')) }},

final as (

    select * from step_stats

)

select * from final
