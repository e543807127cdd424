-- One row per first-touch acquisition channel: which channels produce the best
-- customers. Visitors and conversion come from events (people whose first touch was
-- the channel; zero without events); everything else is about the channel's buyers
-- (customers with a completed order, as in `customers`). Repeat rates and revenue at N
-- days count only buyers whose first order is at least N days before the as-of date.
{%- set repeat_horizons = [30, 90] %}
{%- set revenue_horizons = [90, 365] %}
{%- set horizons = (repeat_horizons + revenue_horizons) | unique | list %}

with order_facts as (

    select * from {{ ref('int_customer_order_facts') }}

),

acquisition as (

    select * from {{ ref('int_customer_acquisition') }}

),

people as (

    select * from {{ ref('int_person_acquisition') }}

),

purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

daily as (

    select * from {{ ref('int_customer_events_daily') }}

),

churn_status as (

    select * from {{ ref('int_customer_churn_status') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

buyers as (

    select
        order_facts.customer_id,
        order_facts.first_order_date,
        acquisition.acquisition_channel
    from order_facts
    inner join acquisition
        on order_facts.customer_id = acquisition.customer_id
    where order_facts.order_count > 0

),

referrals as (

    select
        customer_id,
        sum(event_count) as referral_events
    from daily
    where {{ event_name_in('event_name', var('referral_events'), 'referral_events') }}
    group by customer_id

),

visitors as (

    -- people with tracked events, by the one acquisition-channel definition, so a
    -- channel's visitors and buyers are counted the same way
    select
        people.acquisition_channel,
        count(*) as visitors,
        sum(case when buyers.customer_id is not null then 1 else 0 end) as converted_visitors
    from people
    left join buyers
        on people.customer_id = buyers.customer_id
    where people.has_tracked_events
    group by people.acquisition_channel

),

buyer_purchase_days as (

    select
        buyers.customer_id,
        purchase_days.revenue,
        {{ period_number('buyers.first_order_date', 'purchase_days.purchase_date', 'day') }} as day_number
    from buyers
    inner join purchase_days
        on buyers.customer_id = purchase_days.customer_id

),

buyer_purchases as (

    select
        {%- for days in repeat_horizons %}
        {%- set within = retention_window('within', days) %}
        max(case when {{ period_in_window('day_number', within.start, within.end) }} then 1 else 0 end)
            as repeated_within_{{ days }}d,
        {%- endfor %}
        {%- for days in revenue_horizons %}
        sum(case when {{ period_in_window('day_number', 0, days) }} then revenue else 0 end) as revenue_{{ days }}d,
        {%- endfor %}
        customer_id
    from buyer_purchase_days
    group by customer_id

),

buyer_facts as (

    select
        buyers.acquisition_channel,
        buyers.customer_id,
        {%- for days in horizons %}
        case
            when {{ period_is_observed('buyers.first_order_date', days, 'as_of.as_of_date', 'day') }} then 1 else 0
        end as observed_{{ days }}d,
        {%- endfor %}
        {%- for days in repeat_horizons %}
        buyer_purchases.repeated_within_{{ days }}d,
        {%- endfor %}
        {%- for days in revenue_horizons %}
        buyer_purchases.revenue_{{ days }}d,
        {%- endfor %}
        case when churn_status.is_churned then 1 else 0 end as is_churned,
        case when coalesce(referrals.referral_events, 0) > 0 then 1 else 0 end as has_referred,
        coalesce(referrals.referral_events, 0) as referral_events
    from buyers
    cross join as_of
    inner join buyer_purchases
        on buyers.customer_id = buyer_purchases.customer_id
    left join churn_status
        on buyers.customer_id = churn_status.customer_id
    left join referrals
        on buyers.customer_id = referrals.customer_id

),

by_channel as (

    select
        acquisition_channel,
        count(*) as customers_acquired,
        {%- for days in horizons %}
        sum(observed_{{ days }}d) as observed_{{ days }}d,
        {%- endfor %}
        {%- for days in repeat_horizons %}
        sum(observed_{{ days }}d * repeated_within_{{ days }}d) as repeated_{{ days }}d,
        {%- endfor %}
        {%- for days in revenue_horizons %}
        sum(case when observed_{{ days }}d = 1 then revenue_{{ days }}d else 0 end) as revenue_{{ days }}d,
        {%- endfor %}
        sum(is_churned) as churned_customers,
        sum(has_referred) as referring_customers,
        sum(referral_events) as referral_events
    from buyer_facts
    group by acquisition_channel

),

channels as (

    select acquisition_channel from by_channel
    union
    select acquisition_channel from visitors

),

final as (

    select
        cast(channels.acquisition_channel as {{ dbt.type_string() }}) as acquisition_channel,
        cast(coalesce(by_channel.customers_acquired, 0) as {{ dbt.type_int() }}) as customers_acquired,
        cast(coalesce(visitors.visitors, 0) as {{ dbt.type_int() }}) as visitors,
        cast(coalesce(visitors.converted_visitors, 0) as {{ dbt.type_int() }}) as converted_visitors,
        {{ rate('visitors.converted_visitors', 'visitors.visitors') }} as first_order_conversion_rate,
        {{ rate('by_channel.repeated_30d', 'by_channel.observed_30d') }} as repeat_rate_30d,
        {{ rate('by_channel.repeated_90d', 'by_channel.observed_90d') }} as repeat_rate_90d,
        {{ divide_money('by_channel.revenue_90d', 'by_channel.observed_90d') }} as avg_revenue_per_customer_90d,
        {{ divide_money('by_channel.revenue_365d', 'by_channel.observed_365d') }} as avg_revenue_per_customer_365d,
        cast(coalesce(by_channel.churned_customers, 0) as {{ dbt.type_int() }}) as churned_customers,
        {{ rate('by_channel.churned_customers', 'by_channel.customers_acquired') }} as churn_rate,
        cast(coalesce(by_channel.referring_customers, 0) as {{ dbt.type_int() }}) as referring_customers,
        {{ rate('by_channel.referring_customers', 'by_channel.customers_acquired') }} as referring_customer_rate,
        cast(coalesce(by_channel.referral_events, 0) as {{ dbt.type_int() }}) as referral_events
    from channels
    left join by_channel
        on channels.acquisition_channel = by_channel.acquisition_channel
    left join visitors
        on channels.acquisition_channel = visitors.acquisition_channel

)

select * from final
