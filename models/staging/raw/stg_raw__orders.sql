with base as (

    select * from {{ ref('base_raw__orders') }}

),

renamed as (

    select
        -- ids
        order_id,
        customer_id,

        -- status: completed, cancelled or refunded
        order_status,

        -- money
        amount,

        -- timestamps (UTC)
        ordered_at,
        cast(ordered_at as date) as order_date

    from base
    where reject_reason is null

)

select * from renamed
