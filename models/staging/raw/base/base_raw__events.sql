-- One row per raw event row: typed, normalised, and the reason it is rejected (NULL =
-- valid). stg_raw__events keeps the valid rows, stg_raw__rejects the others.
-- Incremental by day: a run reprocesses the raw rows from its window start on (the latest
-- stored day with a valid event minus late_arrival_days, read at run time; macro
-- lookback_window_start) and the rows without a timestamp; earlier days are kept as
-- stored. A raw row older than the window that arrives late is not seen: test
-- assert_raw_rows_reconcile flags it.
{{ config(**incremental_by_day_config()) }}
{%- set raw_columns = raw_contract()['events'] %}
{#- the window's first day (NULL on an empty table: the whole history), a scalar subquery #}
{%- set window_day = '(select window_start.window_day from window_start)' %}

with
{%- if is_incremental() %}

window_start as (

    {{ lookback_window_start('partition_date', 'reject_reason is null') | indent(4) }}

),
{%- endif %}

source as (

    select * from {{ raw_table('events') }}

),

typed as (

    select
        -- ids
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('customer_id') }} as customer_id,
        {{ clean_text('session_id') }} as source_session_id,

        -- what happened, where
        lower({{ clean_text('event_name') }}) as event_name,
        lower({{ clean_text('channel') }}) as channel,
        lower({{ clean_text('platform') }}) as platform,

        -- timestamps, to UTC
        {{ parse_timestamp_utc('occurred_at') }} as occurred_at,

        -- lineage of the raw row
        raw_line_problem,
        {{ row_fingerprint(raw_columns + raw_line_columns()) }} as raw_row_fingerprint,
        coalesce(raw_line, {{ raw_record_text(raw_columns) }}) as raw_record

    from source

),

checked as (

    select
        *,
        case
            when raw_line_problem is not null then raw_line_problem
            when event_id is null then 'null_event_id'
            when anonymous_id is null and customer_id is null then 'null_identity'
            when event_name is null then 'null_event_name'
            when occurred_at is null then 'bad_timestamp'
            when occurred_at > {{ build_clock() }} then 'future_timestamp'
        end as row_problem
    from typed
    {% if is_incremental() -%}
    -- unparseable rows (NULL) too; written once, since the parse is inlined wherever
    -- occurred_at appears (`is null or >=` parsed every raw row twice)
    where coalesce(occurred_at >= cast({{ window_day }} as {{ dbt.type_timestamp() }}), true)
    {%- endif %}

),

marked as (

    {{ mark_rejects(
        checked_cte='checked',
        key_column='event_id',
        winner_order='occurred_at, raw_row_fingerprint',
        output_columns=['event_id', 'anonymous_id', 'customer_id', 'event_name', 'occurred_at',
                        'source_session_id', 'channel', 'platform'],
    ) }}
),

-- event ids already won by a valid stored row before the window: that row is earlier, so
-- it wins again, exactly as in a full build, and the window's copies are duplicates.
-- Only the window's ids are looked up (a small hash table, not one of every stored id).
stored_winners as (

    select distinct event_id
    from {{ this if is_incremental() else 'marked' }}
    where {{ "reject_reason is null and partition_date < " ~ window_day
        ~ " and event_id in (select marked.event_id from marked)"
        if is_incremental() else '1 = 0' }}

),

-- the window's rows as stored, to keep the stamp of rows this run leaves unchanged
-- (two reads, not one with OR: an OR hides the day range from the table's zone maps;
-- the rows without a timestamp are read second unless the window reaches back to them)
{%- set stored_or_none = this if is_incremental() else 'marked' %}
{%- set stored_stamp = 'processed_at' if is_incremental() else run_stamp() ~ ' as processed_at' %}
stored_window as (

    select
        raw_row_id,
        reject_reason,
        {{ stored_stamp }}
    from {{ stored_or_none }}
    where {{ 'partition_date >= ' ~ window_day if is_incremental() else '1 = 0' }}
    union all
    select
        raw_row_id,
        reject_reason,
        {{ stored_stamp }}
    from {{ stored_or_none }}
    where {{ 'partition_date = ' ~ partition_day('null') ~ ' and partition_date < ' ~ window_day
        if is_incremental() else '1 = 0' }}

),

decided as (

    select
        marked.raw_row_id,
        marked.event_id,
        marked.anonymous_id,
        marked.customer_id,
        marked.event_name,
        marked.occurred_at,
        marked.source_session_id,
        marked.channel,
        marked.platform,
        marked.raw_record,
        case
            when marked.reject_reason is null and stored_winners.event_id is not null then 'duplicate'
            else marked.reject_reason
        end as reject_reason,
        {{ partition_day('marked.occurred_at') }} as partition_date
    from marked
    left join stored_winners
        on marked.event_id = stored_winners.event_id

),

-- processed_at: the run that last added or changed the row (a re-read row keeps its stamp),
-- so the event models downstream recompute only what really changed
final as (

    select
        decided.*,
        case
            when stored_window.raw_row_id is not null
                and coalesce(stored_window.reject_reason, '') = coalesce(decided.reject_reason, '')
                then stored_window.processed_at
            else {{ run_stamp() }}
        end as processed_at
    from decided
    left join stored_window
        on decided.raw_row_id = stored_window.raw_row_id

)

select * from final
{{- write_each_day_once() }}
