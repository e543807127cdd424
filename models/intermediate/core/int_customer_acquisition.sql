-- One row per known customer (registered, identified in events, or with an order on or
-- before the as-of date): when they were first seen and signed up, and the channel and
-- platform that acquired them. The one definition of acquisition (first touch).
with order_facts as (

    select * from {{ ref('int_customer_order_facts') }}

),

event_facts as (

    select * from {{ ref('int_customer_event_facts') }}

),

registered as (

    select * from {{ ref('stg_raw__customers') }}

),

known as (

    select customer_id from order_facts
    union
    select customer_id from event_facts
    union
    select customer_id from registered

),

final as (

    select
        known.customer_id,
        -- earliest of the first stitched event and the first completed order
        case
            when event_facts.first_seen_at is null then order_facts.first_order_at
            when order_facts.first_order_at is null then event_facts.first_seen_at
            when order_facts.first_order_at < event_facts.first_seen_at then order_facts.first_order_at
            else event_facts.first_seen_at
        end as first_seen_at,
        registered.created_at as signed_up_at,
        -- first touch from stitched events; else the store's attribution; else unknown
        coalesce(
            event_facts.first_touch_channel, registered.acquisition_channel, 'unknown'
        ) as acquisition_channel,
        coalesce(event_facts.first_touch_platform, 'unknown') as acquisition_platform,
        registered.country
    from known
    left join order_facts
        on known.customer_id = order_facts.customer_id
    left join event_facts
        on known.customer_id = event_facts.customer_id
    left join registered
        on known.customer_id = registered.customer_id

)

select * from final
