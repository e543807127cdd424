-- One row per retention entry per day number on which the customer did a return event
-- (var `retention_return_events`), from day 1 (day 0 is the entry day itself, never a
-- return) to the last day of the longest bounded retention window; an entry without
-- such a return keeps one row with a NULL day_number, so the model lists every entry.
-- Entries (var `retention_start_events`, on or before the as-of date):
--   first_time  the customer's first start day (one entry per customer);
--   recurring   every start day; `opens_week_cohort` marks the first of its week, the
--               entry of the week cohorts (so a week cohort counts each customer once).
-- `last_return_day_number` is the day number of the customer's last return after the
-- entry (NULL if none), which decides the open-ended "on or after day N" windows.
-- Incremental by customer: a customer's rows depend on their own days alone, so a run
-- recomputes the customers the change log (int_person_stream_changes) listed after this
-- model's latest run, whole, and replaces their stored rows (a customer's person id is
-- their customer id). Changing the retention vars needs --full-refresh.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config(
    replace_hook="{{ replace_changed_people(key_column='customer_id') }}"
)) }}
{%- set bounded_ends = configured_retention_windows() | map(attribute='last_day') | reject('none') | list %}
{%- set longest_window = bounded_ends | max %}

with {{ changed_people_ctes(ref('int_customer_events_daily'), 'daily', key_column='customer_id') }}

start_days as (

    select distinct
        customer_id,
        activity_date as start_date
    from daily
    where {{ event_name_in('event_name', var('retention_start_events'), 'retention_start_events') }}

),

ranked_starts as (

    select
        customer_id,
        start_date,
        row_number() over (partition by customer_id order by start_date) as start_rank,
        row_number() over (
            partition by customer_id, {{ dbt.date_trunc('week', 'start_date') }}
            order by start_date
        ) as rank_in_week
    from start_days

),

entries as (

    select
        'first_time' as retention_type,
        customer_id,
        start_date,
        true as opens_week_cohort
    from ranked_starts
    where start_rank = 1

    union all

    select
        'recurring' as retention_type,
        customer_id,
        start_date,
        rank_in_week = 1 as opens_week_cohort
    from ranked_starts

),

return_days as (

    select distinct
        customer_id,
        activity_date
    from daily
    where {{ event_name_in('event_name', var('retention_return_events'), 'retention_return_events') }}

),

last_returns as (

    select
        customer_id,
        max(activity_date) as last_return_date
    from return_days
    group by customer_id

),

final as (

    select
        cast(entries.retention_type as {{ dbt.type_string() }}) as retention_type,
        entries.customer_id,
        entries.start_date,
        entries.opens_week_cohort,
        {{ period_number('entries.start_date', 'return_days.activity_date', 'day') }} as day_number,
        case
            when last_returns.last_return_date > entries.start_date
                then {{ period_number('entries.start_date', 'last_returns.last_return_date', 'day') }}
        end as last_return_day_number,
        {{ run_stamp() }} as processed_at
    from entries
    left join return_days
        on
            entries.customer_id = return_days.customer_id
            and entries.start_date < return_days.activity_date
            and {{ period_number('entries.start_date', 'return_days.activity_date', 'day') }} <= {{ longest_window }}
    left join last_returns
        on entries.customer_id = last_returns.customer_id

)

select * from final
