-- One row per customer per month end (on or before the as-of date) at which the customer
-- had a completed order in the RFM window: the RFM scores as they stood that day.
with snapshots as (

    select * from {{ ref('int_customer_rfm_snapshots') }}

),

snapshot_dates as (

    select snapshot_date
    from {{ ref('int_rfm_snapshot_dates') }}
    where is_month_end

),

final as (

    select
        snapshots.customer_id,
        cast({{ dbt.date_trunc('month', 'snapshots.snapshot_date') }} as date) as snapshot_month,
        snapshots.snapshot_date as month_end_date,
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
    inner join snapshot_dates
        on snapshots.snapshot_date = snapshot_dates.snapshot_date

)

select * from final
