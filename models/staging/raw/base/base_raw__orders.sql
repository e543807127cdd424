-- One row per raw order row: typed, normalised, and the reason it is rejected (NULL =
-- valid). stg_raw__orders keeps the valid rows, stg_raw__rejects the others.
{%- set raw_columns = raw_contract()['orders'] %}

with source as (

    select * from {{ raw_table('orders') }}

),

status_map as (

    select * from {{ ref('order_status_map') }}

),

typed as (

    select
        -- ids
        {{ clean_text('order_id') }} as order_id,
        {{ clean_text('customer_id') }} as customer_id,

        -- timestamps, to UTC
        {{ parse_timestamp_utc('ordered_at') }} as ordered_at,

        -- money
        {{ safe_cast_to(clean_text('amount'), type_money()) }} as amount,

        -- status: missing or empty means completed
        coalesce(lower({{ clean_text('status') }}), 'completed') as status_text,

        -- lineage of the raw row
        raw_line_problem,
        {{ row_fingerprint(raw_columns + raw_line_columns()) }} as raw_row_fingerprint,
        coalesce(raw_line, {{ raw_record_text(raw_columns) }}) as raw_record

    from source

),

checked as (

    select
        typed.*,
        status_map.order_status,
        case
            when typed.raw_line_problem is not null then typed.raw_line_problem
            when typed.order_id is null then 'null_order_id'
            when typed.customer_id is null then 'null_customer_id'
            when typed.amount is null or typed.amount < 0 then 'bad_amount'
            when typed.ordered_at is null then 'bad_timestamp'
            when typed.ordered_at > {{ build_clock() }} then 'future_timestamp'
            when status_map.order_status is null then 'unknown_status'
        end as row_problem
    from typed
    left join status_map
        on typed.status_text = status_map.raw_status

),

final as (

    {{ mark_rejects(
        checked_cte='checked',
        key_column='order_id',
        winner_order="case order_status when 'refunded' then 1 when 'cancelled' then 2 else 3 end,"
            ~ " ordered_at desc, raw_row_fingerprint",
        output_columns=['order_id', 'customer_id', 'ordered_at', 'amount', 'order_status'],
    ) }}
)

select * from final
