-- One row per person per funnel per week of entry (Monday start): the person's best
-- attempt that entered in that week (macro best_attempt_order) and how many attempts they
-- made that week. The compact table the funnel marts read instead of every attempt: a
-- person's overall best attempt is the best of their weekly ones.
-- Incremental by tails: recomputes each changed person's weeks from the week of the
-- earliest attempt int_funnel_attempts can have recomputed (macro
-- attempt_recompute_from, the same rule) or restamped.
{{ config(**incremental_by_tail_config('person_id', 'entry_week_start', 'entry_event_id')) }}
{%- set since = incremental_stored_max('processed_at') %}
{#- named, not read through CTEs: DuckDB materialises a CTE read more than once #}
{%- set all_attempts = ref('int_funnel_attempts') %}
{%- set person_events = ref('int_person_events') %}
{%- set funnel_steps = ref('int_funnel_steps') %}
with
{%- if since %}

-- per person, the first week to recompute (NULL: all): the week of the earliest entry
-- time by either trigger, the person stream (an attempt can vanish without another
-- being restamped) or the attempts themselves (int_funnel_attempts rebuilt on its own)
recompute_from as (

    select
        person_id,
        cast({{ dbt.date_trunc('week', earliest_tail_start('from_at')) }} as date)
            as from_week
    from (
        {{ attempt_recompute_from(person_events, since, funnel_steps) | indent(8) }}
        union all
        select
            person_id,
            tail_from as from_at
        from ({{ tail_starts(all_attempts, since, 'entry_at') | indent(8) }}) as attempt_tails
    ) as triggers
    group by person_id

),
{%- endif %}

-- the attempts of the weeks to recompute (a week starts at its Monday, 00:00)
weekly_attempts as (

    select
        attempts.*,
        cast({{ dbt.date_trunc('week', 'attempts.entry_at') }} as date) as entry_week_start
    from {{ all_attempts }} as attempts
    {%- if since %}
    inner join recompute_from
        on
            attempts.person_id = recompute_from.person_id
            and {{ in_tail('attempts.entry_at', 'cast(recompute_from.from_week as ' ~ dbt.type_timestamp() ~ ')') }}
    {%- endif %}

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
        {{- attempt_columns() }}
        cast(attempt_count as {{ dbt.type_int() }}) as attempt_count,
        {{ run_stamp() }} as processed_at
    from ranked
    where attempt_rank = 1

)

select * from final
{%- if since %}
{{ tail_start_rows('recompute_from', 'from_week', 'entry_week_start') }}
{%- endif %}
