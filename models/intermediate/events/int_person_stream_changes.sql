-- One row per person and run in which their stream changed (their sessionised tracker
-- events, int_events_sessionized, or their behaviour stream with completed orders,
-- int_person_events): the earliest event time their rows were recomputed from (NULL: the
-- whole history, on a full build, when the person is gone, or when a stream recomputed
-- all of their rows), and whether they are gone
-- (nothing left in either: a visitor stitched to a customer). An append-only change log:
-- person-grain models recompute the people it lists after their own latest run (macro
-- changed_people_since_last_run).
{{ config(**change_log_config()) }}

with stream as (

    select
        'sessionized' as stream_name,
        person_id,
        occurred_at,
        processed_at
    from {{ ref('int_events_sessionized') }}
    union all
    select
        'person_events' as stream_name,
        person_id,
        occurred_at,
        processed_at
    from {{ ref('int_person_events') }}

),

-- incremental runs: the stream rows stamped after the log's latest run, and the people the
-- log knows (with whether their latest entry says gone); a full build logs everyone whole
{%- set last_logged = "(select coalesce(max(logged.processed_at), cast('1900-01-01' as "
    ~ dbt.type_timestamp() ~ ")) from " ~ this ~ " as logged)" %}
{%- set known_source = this if is_incremental() else
    "(select person_id, is_gone, cast(null as " ~ dbt.type_timestamp() ~ ") as processed_at from changed)" %}
{%- if is_incremental() %}
restamped as (

    select
        stream_name,
        person_id,
        min(occurred_at) as first_restamped
    from stream
    where processed_at > {{ last_logged }}
    group by stream_name, person_id

),

-- per person and stream, where the recomputed rows start: their earliest restamped row
-- when the stream keeps an earlier row of theirs, else NULL (the whole history: a stream
-- recomputed whole may have lost rows before its earliest new one, such as a refunded
-- first order)
starts as (

    select
        restamped.stream_name,
        restamped.person_id,
        case
            when min(stream.occurred_at) < restamped.first_restamped then restamped.first_restamped
        end as recompute_from
    from restamped
    inner join stream
        on
            restamped.stream_name = stream.stream_name
            and restamped.person_id = stream.person_id
    group by restamped.stream_name, restamped.person_id, restamped.first_restamped

),
{%- endif %}

changed as (

    select
        person_id,
        {{ earliest_tail_start('recompute_from') if is_incremental()
            else 'cast(null as ' ~ dbt.type_timestamp() ~ ')' }} as recompute_from,
        false as is_gone
    from {{ 'starts' if is_incremental() else 'stream' }}
    group by person_id

),

known as (

    select
        known_entries.person_id,
        {{ value_of_latest('known_entries.is_gone', ['known_entries.processed_at']) }} as is_gone
    from {{ known_source }} as known_entries
    group by known_entries.person_id

),

gone as (

    select
        known.person_id,
        cast(null as {{ dbt.type_timestamp() }}) as recompute_from,
        true as is_gone
    from known
    -- NOT EXISTS, not NOT IN: PostgreSQL runs a NOT IN whose list outgrows work_mem row by row
    where
        {{ 'not known.is_gone and not exists (select 1 from stream where stream.person_id = known.person_id)'
            if is_incremental() else '1 = 0' }}

),

final as (

    select
        person_id,
        recompute_from,
        is_gone,
        {{ run_stamp() }} as processed_at
    from changed
    union all
    select
        person_id,
        recompute_from,
        is_gone,
        {{ run_stamp() }} as processed_at
    from gone

)

select * from final
