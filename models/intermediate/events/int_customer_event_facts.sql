-- One row per identified customer with events on or before the as-of date: when they
-- were first seen (stitched, so pre-sign-up browsing counts), their first-touch channel
-- and platform, and how many sessions and events they had.
with people as (

    select * from {{ ref('int_person_first_touch') }}

),

final as (

    select
        customer_id,
        first_seen_at,
        first_touch_channel,
        first_touch_platform,
        session_count,
        event_count
    from people
    where customer_id is not null

)

select * from final
