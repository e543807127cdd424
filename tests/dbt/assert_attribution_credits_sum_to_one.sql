-- Every completed order's credits sum to 1 in every attribution model, and every
-- completed order on or before the as-of date is attributed in each of the five models.
-- Returns the orders that break it.
with credits as (

    select
        order_id,
        attribution_model,
        sum(credit) as total_credit
    from {{ ref('order_attribution_credits') }}
    group by order_id, attribution_model

),

orders as (

    select order_id from {{ ref('int_orders_as_of') }}
    where is_completed

),

models_per_order as (

    select
        orders.order_id,
        count(credits.attribution_model) as models
    from orders
    left join credits
        on orders.order_id = credits.order_id
    group by orders.order_id

)

select
    order_id,
    'credits do not sum to 1' as problem
from credits
where abs(total_credit - 1) > 1e-9
union all
select
    order_id,
    'not attributed in every model' as problem
from models_per_order
where models != 5
