-- One row per person and run in which their stream (int_events_sessionized) changed: the
-- earliest event time their rows were recomputed from (NULL: the whole history, on a full
-- build or when the person is gone), and whether they are gone (no event left: a visitor
-- stitched to a customer). An append-only change log: person-grain models recompute the
-- people it lists after their own latest run (macro changed_people_since_last_run).
{{ config(**change_log_config()) }}

with stream as (

    select
        person_id,
        occurred_at,
        processed_at
    from {{ ref('int_events_sessionized') }}

),

{%- if is_incremental() %}

-- the latest run the log recorded: stream rows stamped later changed since
last_logged as (

    select coalesce(max(processed_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})) as processed_at
    from {{ this }}

),

changed as (

    select
        stream.person_id,
        min(stream.occurred_at) as recompute_from,
        false as is_gone
    from stream
    cross join last_logged
    where stream.processed_at > last_logged.processed_at
    group by stream.person_id

),

-- people the log knows, and whether their latest entry says gone
known as (

    select
        person_id,
        {{ value_of_latest('is_gone', ['processed_at']) }} as is_gone
    from {{ this }}
    group by person_id

),

gone as (

    select
        known.person_id,
        cast(null as {{ dbt.type_timestamp() }}) as recompute_from,
        true as is_gone
    from known
    where
        not known.is_gone
        and known.person_id not in (select stream.person_id from stream)

),

{%- else %}

changed as (

    select
        person_id,
        cast(null as {{ dbt.type_timestamp() }}) as recompute_from,
        false as is_gone
    from stream
    group by person_id

),

gone as (

    select
        person_id,
        recompute_from,
        is_gone
    from changed
    where 1 = 0

),

{%- endif %}

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
