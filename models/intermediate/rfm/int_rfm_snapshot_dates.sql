-- One row per RFM snapshot date: every month end from the month of the first completed
-- order up to the as-of date, and the as-of date itself.
with as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

first_purchase as (

    select min(order_date) as first_order_date
    from {{ ref('int_orders_as_of') }}
    where is_completed

),

months as (

    {{ integer_series(periods_series_size(),
        'select ' ~ period_number('first_purchase.first_order_date', 'as_of.as_of_date', 'month')
        ~ ' from first_purchase cross join as_of') }}

),

month_ends as (

    select
        cast(
            {{ dbt.dateadd('day', -1, dbt.dateadd('month', 'months.n + 1',
                dbt.date_trunc('month', 'first_purchase.first_order_date'))) }}
            as date
        ) as snapshot_date
    from first_purchase
    cross join months

),

final as (

    select
        month_ends.snapshot_date,
        true as is_month_end,
        month_ends.snapshot_date = as_of.as_of_date as is_as_of_date
    from month_ends
    cross join as_of
    where month_ends.snapshot_date <= as_of.as_of_date

    union all

    select
        as_of.as_of_date as snapshot_date,
        false as is_month_end,
        true as is_as_of_date
    from as_of
    cross join first_purchase
    where
        first_purchase.first_order_date is not null
        and as_of.as_of_date != cast(
            {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, dbt.date_trunc('month', 'as_of.as_of_date'))) }}
            as date
        )

)

select * from final
