{#- The order that picks a person's best funnel attempt: the furthest step, then the
    earliest entry, then the entry event id (a total order, so the pick is deterministic).
    The one definition, used per day (int_funnel_daily_best_attempts), per trend period
    (funnel_period_best_attempts) and overall (int_funnel_person_best_attempts). -#}
{% macro best_attempt_order(relation) %}
    {{ relation }}.furthest_step desc, {{ relation }}.entry_at asc, {{ relation }}.entry_event_id asc
{%- endmacro %}

{#- Per person the change log listed since the calling model's latest run
    (int_funnel_daily_best_attempts), the first day of entry
    whose best attempt can have changed (NULL: all): the day holding their change time
    moved back by the longest conversion window, since an attempt sees only events
    inside its window. The one rule for the model and its post-hook. -#}
{% macro funnel_days_to_recompute() -%}
{%- set from_time = dbt.dateadd('day', '-1 * windows.longest_window_days', 'changes.recompute_from') | trim -%}
select
    changes.person_id,
    cast({{ dbt.date_trunc('day', from_time) | trim }} as date) as from_date
from (
    {{ changes_since_last_run() | indent(4) }}
) as changes
cross join (
    -- whole days covering each window; a month is at most 31 days
    select max(case
        when conversion_window_unit = 'month' then 31 * conversion_window
        else cast(ceil(cast(conversion_window_microseconds as {{ type_double() }}) / 86400000000) as {{ dbt.type_int() }})
    end) as longest_window_days
    from {{ ref('int_funnel_steps') }}
) as windows
{%- endmacro %}
