-- Every mart that splits by acquisition channel uses int_person_acquisition's one
-- definition: an identified person's channel in customer_funnel_progress is their
-- channel in customers, and channel_performance counts each channel's buyers as
-- customers does. Returns each disagreement.
with customers as (

    select
        customer_id,
        acquisition_channel
    from {{ ref('customers') }}

),

funnel_people as (

    select distinct
        customer_id,
        first_touch_channel
    from {{ ref('customer_funnel_progress') }}
    where customer_id is not null

),

buyers_by_channel as (

    select
        acquisition_channel,
        count(*) as buyers
    from customers
    group by acquisition_channel

),

channel_rows as (

    select
        acquisition_channel,
        customers_acquired
    from {{ ref('channel_performance') }}
    where customers_acquired > 0

),

final as (

    select
        'customer_funnel_progress' as mart,
        funnel_people.customer_id as key_value
    from funnel_people
    inner join customers
        on funnel_people.customer_id = customers.customer_id
    where funnel_people.first_touch_channel != customers.acquisition_channel

    union all

    select
        'channel_performance' as mart,
        coalesce(buyers_by_channel.acquisition_channel, channel_rows.acquisition_channel) as key_value
    from buyers_by_channel
    full outer join channel_rows
        on buyers_by_channel.acquisition_channel = channel_rows.acquisition_channel
    where coalesce(buyers_by_channel.buyers, 0) != coalesce(channel_rows.customers_acquired, 0)

)

select * from final
