-- Every funnel attempt of every person, one row per attempt and step reached, for all
-- funnels at once (the funnel engine, macro funnel_attempt_steps: order modes, window,
-- open entry, tie rules). A view: nothing reads it but analysts and tests; the compact
-- table the marts read, int_funnel_daily_best_attempts, runs the same macro over only the
-- events it recomputes.
{{ config(materialized='view') }}

{{ funnel_attempt_steps(
    person_events=ref('int_person_events'),
    step_events=ref('funnel_steps'),
    funnel_steps=ref('int_funnel_steps'),
    exclusions=ref('funnel_exclusions')
) }}
