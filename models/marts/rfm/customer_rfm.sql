-- One row per customer with a completed order in the RFM window ending on the as-of date.
with snapshots as (

    select * from {{ ref('int_customer_rfm_snapshots') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

final as (

    select
        snapshots.customer_id,
        snapshots.snapshot_date as as_of_date,
        snapshots.last_purchase_date,
        snapshots.days_since_last_purchase,
        snapshots.purchase_count,
        snapshots.total_revenue,
        snapshots.avg_order_value,
        snapshots.monetary_value,
        snapshots.r_score,
        snapshots.f_score,
        snapshots.m_score,
        snapshots.rfm_code,
        snapshots.rfm_segment,
        snapshots.is_recent,
        snapshots.is_frequent,
        snapshots.is_high_monetary,
        snapshots.value_segment
    from snapshots
    inner join as_of
        on snapshots.snapshot_date = as_of.as_of_date

)

select * from final
