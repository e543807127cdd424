-- One row per funnel attempt: a person's entry event, the furthest step reached inside
-- the conversion window and each step's time. All funnels in one pass; the logic (order
-- modes, window, open entry, tie rules) is the macro funnel_attempts.
{{ funnel_attempts(
    person_events=ref('int_person_events'),
    step_events=ref('funnel_steps'),
    funnel_steps=ref('int_funnel_steps')
) }}
