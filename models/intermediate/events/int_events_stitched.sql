-- One row per valid event, attributed to a person: the event's own customer id, else
-- the customer its anonymous id later identified as, else the anonymous id itself
-- (`person_id` prefixed 'anonymous:'). Pre-sign-up events so count for the customer.
-- A view: int_events_sessionized stores it, reprocessing only the people who changed.
{{ config(materialized='view') }}

with events as (

    select * from {{ ref('stg_raw__events') }}

),

identity_map as (

    select * from {{ ref('int_identity_map') }}

),

final as (

    select
        events.event_id,
        coalesce(events.customer_id, identity_map.customer_id) as customer_id,
        events.anonymous_id,
        {{ stitched_person_id('events.customer_id', 'identity_map.customer_id', 'events.anonymous_id')
            | indent(8) }} as person_id,
        events.customer_id is null and identity_map.customer_id is not null as is_stitched,
        events.event_name,
        events.occurred_at,
        events.source_session_id,
        events.channel,
        events.platform,
        events.processed_at
    from events
    left join identity_map
        on events.anonymous_id = identity_map.anonymous_id

)

select * from final
