-- One row per customer with a completed order on or before the as-of date: the
-- buy-till-you-die inputs over purchase days (several orders on one day are one
-- purchase with the day's total, `int_customer_purchase_days`). Names differ from RFM's on purpose:
-- `repeat_purchase_count` is not RFM frequency, `days_first_to_last_purchase` is not
-- RFM recency. The `*_time_units` columns are the same spans in var `clv_time_unit`,
-- which is what the BG/NBD and Pareto/NBD fits and predictions read.
with purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

final as (

    {{ btyd_inputs('purchase_days', 'as_of', 'as_of_date') }}

)

select * from final
