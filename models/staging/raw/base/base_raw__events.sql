-- One row per raw event row: typed, normalised, and the reason it is rejected (NULL =
-- valid). stg_raw__events keeps the valid rows, stg_raw__rejects the others.
{%- set raw_columns = raw_contract()['events'] %}

with source as (

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
        {{ parse_timestamp_utc(clean_text('occurred_at')) }} as occurred_at,

        -- lineage of the raw row
        {{ row_fingerprint(raw_columns) }} as raw_row_fingerprint,
        {{ raw_record_text(raw_columns) }} as raw_record

    from source

),

checked as (

    select
        *,
        case
            when event_id is null then 'null_event_id'
            when anonymous_id is null and customer_id is null then 'null_identity'
            when event_name is null then 'null_event_name'
            when occurred_at is null then 'bad_timestamp'
            when occurred_at > {{ build_clock() }} then 'future_timestamp'
        end as row_problem
    from typed

),

final as (

    {{ mark_rejects(
        checked_cte='checked',
        key_column='event_id',
        winner_order='occurred_at, raw_row_fingerprint',
        output_columns=['event_id', 'anonymous_id', 'customer_id', 'event_name', 'occurred_at',
                        'source_session_id', 'channel', 'platform'],
    ) }}
)

select * from final
