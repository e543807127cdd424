-- One row per funnel per step: people who reached it (from each person's best attempt),
-- step and overall conversion, and time from the previous step and from entry.
with progress as (

    select * from {{ ref('customer_funnel_progress') }}

),

{{ funnel_step_stats('progress', ref('int_funnel_steps')) }},

final as (

    select * from step_stats

)

select * from final
