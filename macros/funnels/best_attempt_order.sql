{#- The order that picks a person's best funnel attempt: the furthest step, then the
    earliest entry, then the entry event id (a total order, so the pick is deterministic).
    The one definition, used per week (int_funnel_weekly_best_attempts) and overall
    (int_funnel_person_best_attempts). -#}
{% macro best_attempt_order(relation) %}
    {{ relation }}.furthest_step desc, {{ relation }}.entry_at asc, {{ relation }}.entry_event_id asc
{%- endmacro %}
