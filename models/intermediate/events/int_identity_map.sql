-- One row per anonymous id ever seen together with a customer id: the customer it
-- belongs to, which is the latest one it identified as (a shared device goes to its
-- most recent user; among events at the same time, the largest event id decides).
with identified_events as (

    select
        anonymous_id,
        customer_id,
        occurred_at,
        event_id
    from {{ ref('stg_raw__events') }}
    where anonymous_id is not null
        and customer_id is not null

),

final as (

    select
        anonymous_id,
        {{ value_of_latest('customer_id', ['occurred_at', 'event_id']) }} as customer_id,
        max(occurred_at) as last_identified_at
    from identified_events
    group by anonymous_id

)

select * from final
