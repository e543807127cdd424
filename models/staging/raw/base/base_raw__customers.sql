-- One row per raw customer row: typed, email hashed, and the reason it is rejected
-- (NULL = valid). The raw email never leaves this model.
{%- set raw_columns = raw_contract()['customers'] %}

with source as (

    select * from {{ raw_table('customers') }}

),

typed as (

    select
        -- ids
        {{ clean_text('customer_id') }} as customer_id,

        -- PII: only a hash of the normalised email goes further
        {{ raw_email_hash('email') }} as email_hash,

        -- attributes
        lower({{ clean_text('acquisition_channel') }}) as acquisition_channel,
        upper({{ clean_text('country') }}) as country,

        -- timestamps, to UTC (a missing sign-up time is allowed; an unreadable one is not)
        {{ clean_text('created_at') }} as created_at_text,
        {{ parse_timestamp_utc('created_at') }} as created_at,

        -- lineage of the raw row
        raw_line_problem,
        {{ row_fingerprint(raw_columns + raw_line_columns()) }} as raw_row_fingerprint,
        coalesce(raw_line, {{ raw_record_text(raw_columns, hashed=['email']) }}) as raw_record

    from source

),

checked as (

    select
        *,
        case
            when raw_line_problem is not null then raw_line_problem
            when customer_id is null then 'null_customer_id'
            when created_at_text is not null and created_at is null then 'bad_timestamp'
            when created_at > {{ build_clock() }} then 'future_timestamp'
        end as row_problem
    from typed

),

final as (

    {{ mark_rejects(
        checked_cte='checked',
        key_column='customer_id',
        winner_order='created_at nulls last, raw_row_fingerprint',
        output_columns=['customer_id', 'email_hash', 'created_at', 'acquisition_channel', 'country'],
    ) }}
)

select * from final
