-- One row per completed order, attribution model and touch: each touch's credit and
-- attributed revenue under first touch, last touch, linear, position-based and time
-- decay (int_order_attribution_credits, kept incrementally, published here without its
-- run stamp).
with credits as (

    select * from {{ ref('int_order_attribution_credits') }}

),

final as (

    select
        order_id,
        customer_id,
        ordered_at,
        attribution_model,
        touch_number,
        touch_count,
        session_id,
        channel,
        touch_at,
        credit,
        attributed_revenue
    from credits

)

select * from final
