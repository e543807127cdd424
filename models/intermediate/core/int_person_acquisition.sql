-- One row per person: every identified customer (int_customer_acquisition) and every
-- anonymous visitor with tracked events, with the channel and platform that acquired them
-- and their registered country (unknown for visitors). The one definition of a person's
-- acquisition channel, read by every mart that splits by it: a customer's is the
-- customer's acquisition channel (first touch from stitched events, else the store's
-- registered channel, else unknown); a visitor's is their first touch, else unknown.
with people as (

    select * from {{ ref('int_person_first_touch') }}

),

customers as (

    select * from {{ ref('int_customer_acquisition') }}

),

final as (

    select
        coalesce(customers.customer_id, people.person_id) as person_id,
        coalesce(customers.customer_id, people.customer_id) as customer_id,
        coalesce(customers.acquisition_channel, people.first_touch_channel, 'unknown') as acquisition_channel,
        case
            when customers.customer_id is not null then customers.acquisition_platform
            else coalesce(people.first_touch_platform, 'unknown')
        end as acquisition_platform,
        coalesce(customers.country, 'unknown') as country,
        people.person_id is not null as has_tracked_events
    from people
    full outer join customers
        on people.person_id = customers.customer_id

)

select * from final
