-- One row per person per funnel per week of entry (Monday start): the person's best
-- attempt that entered in that week (macro best_attempt_order) and how many attempts they
-- made that week. The compact table the funnel marts read instead of every attempt: a
-- person's overall best attempt is the best of their weekly ones.
-- Incremental by person: recomputes the people int_funnel_attempts restamped, and those
-- int_person_events restamped (int_funnel_attempts, kept by tails, can drop an attempt
-- of a person without restamping another).
{{ config(**incremental_by_person_config('entry_event_id')) }}
{%- set since = incremental_stored_max('processed_at') %}
with {{ recomputed_people_ctes(ref('int_funnel_attempts'), since, 'attempts', also_restamped=ref('int_person_events')) }}

weekly_attempts as (

    select
        attempts.*,
        cast({{ dbt.date_trunc('week', 'attempts.entry_at') }} as date) as entry_week_start
    from attempts

),

ranked as (

    select
        weekly_attempts.*,
        count(*) over (
            partition by weekly_attempts.funnel_name, weekly_attempts.person_id, weekly_attempts.entry_week_start
        ) as attempt_count,
        row_number() over (
            partition by weekly_attempts.funnel_name, weekly_attempts.person_id, weekly_attempts.entry_week_start
            order by {{ best_attempt_order('weekly_attempts') }}
        ) as attempt_rank
    from weekly_attempts

),

final as (

    select
        funnel_name,
        person_id,
        entry_week_start,
        customer_id,
        entry_event_id,
        entry_at,
        entry_step,
        entry_platform,
        furthest_step,
        {%- for k in range(1, funnel_max_steps() + 1) %}
            step_{{ k }}_at,
        {%- endfor %}
        cast(attempt_count as {{ dbt.type_int() }}) as attempt_count,
        {{ run_stamp() }} as processed_at
    from ranked
    where attempt_rank = 1

)

select * from final
{%- if since %}
{{ person_markers('changed_people') }}
{%- endif %}
