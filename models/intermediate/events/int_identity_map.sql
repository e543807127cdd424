-- One row per anonymous id ever seen together with a customer id: the customer it
-- belongs to, which is the latest one it identified as (a shared device goes to its
-- most recent user).
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

ranked as (

    select
        anonymous_id,
        customer_id,
        occurred_at,
        row_number() over (
            partition by anonymous_id
            order by occurred_at desc, event_id desc
        ) as recency_rank
    from identified_events

),

final as (

    select
        anonymous_id,
        customer_id,
        occurred_at as last_identified_at
    from ranked
    where recency_rank = 1

)

select * from final
