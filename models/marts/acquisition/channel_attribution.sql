-- One row per channel and attribution model: the completed orders and revenue the model
-- credits to the channel (sums of order_attribution_credits) and their share of all
-- orders and revenue. `(none)` holds the orders without a touch in the lookback.
with credits as (

    select * from {{ ref('order_attribution_credits') }}

),

by_channel as (

    select
        attribution_model,
        channel,
        -- exact decimal sums: a floating-point sum depends on the order rows arrive in
        sum(cast(credit as decimal(38, 12))) as attributed_orders,
        sum(cast(attributed_revenue as decimal(38, 9))) as attributed_revenue,
        count(distinct order_id) as touched_orders
    from credits
    where credit > 0
    group by attribution_model, channel

),

totals as (

    select
        attribution_model,
        sum(attributed_orders) as total_orders,
        sum(attributed_revenue) as total_revenue
    from by_channel
    group by attribution_model

),

final as (

    select
        by_channel.attribution_model,
        by_channel.channel,
        cast(by_channel.attributed_orders as {{ type_double() }}) as attributed_orders,
        cast(by_channel.attributed_revenue as {{ type_money() }}) as attributed_revenue,
        cast(by_channel.touched_orders as {{ dbt.type_int() }}) as touched_orders,
        {{ rate('by_channel.attributed_orders', 'totals.total_orders') }} as share_of_orders,
        {{ rate('by_channel.attributed_revenue', 'totals.total_revenue') }} as share_of_revenue
    from by_channel
    inner join totals
        on by_channel.attribution_model = totals.attribution_model

)

select * from final
