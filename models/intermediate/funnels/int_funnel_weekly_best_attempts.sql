-- One row per person per funnel per week of entry (Monday start): the person's best
-- attempt that entered in that week (macro best_attempt_order) and how many attempts they
-- made that week. The compact table the funnel marts read instead of every attempt: a
-- person's overall best attempt is the best of their weekly ones.
-- Incremental by tails: recomputes each changed person's weeks from the week of the
-- earliest attempt int_funnel_attempts can have recomputed (macro
-- attempt_recompute_from, the same rule) or restamped.
{{ config(**incremental_by_tail_config(['funnel_name', 'person_id', 'entry_week_start'], 'entry_event_id')) }}
{%- set since = incremental_stored_max('processed_at') %}
{#- named, not read through CTEs: DuckDB materialises a CTE read more than once #}
{%- set all_attempts = ref('int_funnel_attempts') %}
{%- set person_events = ref('int_person_events') %}
{%- set funnel_steps = ref('int_funnel_steps') %}
{%- set microseconds_per_week = 7 * 86400000000 %}
with
{%- if since %}

-- per person, the earliest entry time to recompute from (NULL: all), by either trigger:
-- the person stream (an attempt can vanish without another being restamped) or the
-- attempts themselves (int_funnel_attempts rebuilt on its own)
recompute_from as (

    select
        person_id,
        case when count(*) = count(from_microseconds) then min(from_microseconds) end as from_microseconds
    from (
        {{ attempt_recompute_from(person_events, since, funnel_steps) | indent(8) }}
        union all
        select
            person_id,
            {{ epoch_microseconds('tail_from') }} as from_microseconds
        from ({{ tail_starts(all_attempts, since, 'entry_at') | indent(8) }}) as attempt_tails
    ) as triggers
    group by person_id

),
{%- endif %}

weekly_attempts as (

    select
        attempts.*,
        cast({{ dbt.date_trunc('week', 'attempts.entry_at') }} as date) as entry_week_start
    from {{ all_attempts }} as attempts
    {%- if since %}
    inner join recompute_from
        on attempts.person_id = recompute_from.person_id
    {%- endif %}

),

{%- if since %}

-- a week is recomputed whole when it ends after the person's recompute start: its last
-- microsecond (start + 1 week - 1) is in the tail
{%- set week_last_microsecond = epoch_microseconds('cast(ROWS.entry_week_start as ' ~ dbt.type_timestamp() ~ ')')
    ~ ' + ' ~ (microseconds_per_week - 1) %}

tail_weeks as (

    select weekly_attempts.*
    from weekly_attempts
    inner join recompute_from
        on weekly_attempts.person_id = recompute_from.person_id
    where {{ in_tail(week_last_microsecond | replace('ROWS.', 'weekly_attempts.'), 'recompute_from.from_microseconds') }}

),
{%- endif %}

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
    from {{ 'tail_weeks' if since else 'weekly_attempts' }} as weekly_attempts

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
{{ tail_markers('final', 'recompute_from',
    in_tail(week_last_microsecond | replace('ROWS.', 'stored.'), 'starts.from_microseconds'),
    ['funnel_name', 'person_id', 'entry_week_start']) }}
{%- endif %}
