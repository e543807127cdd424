-- One row per person (stitched customer, or anonymous visitor never identified) per
-- funnel they entered: the attempt that reached the furthest step (ties: the earliest
-- entry), each step's time, and the values breakdowns attribute the person to. Reads the
-- weekly best attempts: the best of those is the best of all attempts.
with attempts as (

    select * from {{ ref('int_funnel_weekly_best_attempts') }}

),

funnel_steps as (

    select * from {{ ref('int_funnel_steps') }}

),

first_touch as (

    select * from {{ ref('int_person_first_touch') }}

),

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
        ranked.funnel_name,
        ranked.person_id,
        ranked.customer_id,
        ranked.customer_id is not null as is_identified,
        ranked.entry_event_id,
        ranked.entry_at,
        ranked.entry_step,
        ranked.furthest_step,
        funnel_steps.step_name as furthest_step_name,
        ranked.furthest_step = funnel_steps.step_count as has_completed_funnel,
        {%- for k in range(1, funnel_max_steps() + 1) %}
            ranked.step_{{ k }}_at,
        {%- endfor %}
        coalesce(ranked.entry_platform, 'unknown') as entry_platform,
        coalesce(first_touch.first_touch_channel, 'unknown') as first_touch_channel,
        cast(ranked.attempts_in_all_weeks as {{ dbt.type_int() }}) as attempt_count
    from ranked
    inner join funnel_steps
        on
            ranked.funnel_name = funnel_steps.funnel_name
            and ranked.furthest_step = funnel_steps.step_number
    left join first_touch
        on ranked.person_id = first_touch.person_id
    where ranked.attempt_rank = 1

)

select * from final
