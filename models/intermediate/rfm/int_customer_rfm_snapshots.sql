-- One row per snapshot date per customer with a completed order in the RFM window
-- ending on that date: R, F, M, their 1-5 scores, the RFM code, both segment schemes.
-- customer_rfm and customer_rfm_monthly read this model, so scoring is defined once.
{%- set window_days = var('rfm_window_days', none) %}
{%- set monetary_measure = var('rfm_monetary_measure', 'average') %}
{%- if monetary_measure not in ['average', 'total'] %}
    {{ exceptions.raise_compiler_error(
        "rfm_monetary_measure must be 'average' or 'total', got '" ~ monetary_measure ~ "'") }}
{%- endif %}
{%- if window_days is not none and (window_days is not number or window_days < 1) %}
    {{ exceptions.raise_compiler_error("rfm_window_days must be a whole number of days >= 1 or null") }}
{%- endif %}

with purchases as (

    select
        customer_id,
        order_date,
        amount
    from {{ ref('int_orders_as_of') }}
    where is_completed

),

snapshots as (

    select * from {{ ref('int_rfm_snapshot_dates') }}

),

segment_map as (

    select * from {{ ref('rfm_segment_map') }}

),

windowed as (

    select
        snapshots.snapshot_date,
        purchases.customer_id,
        purchases.order_date,
        purchases.amount
    from snapshots
    inner join purchases
        on snapshots.snapshot_date >= purchases.order_date
    {% if window_days is not none -%}
    where {{ dbt.dateadd('day', -1 * window_days, 'snapshots.snapshot_date') }} < purchases.order_date
    {%- endif %}

),

measures as (

    select
        snapshot_date,
        customer_id,
        max(order_date) as last_purchase_date,
        count(*) as purchase_count,
        sum(amount) as total_revenue
    from windowed
    group by snapshot_date, customer_id

),

with_monetary as (

    select
        snapshot_date,
        customer_id,
        last_purchase_date,
        cast(
            {{ dbt.datediff('last_purchase_date', 'snapshot_date', 'day') }}
            as {{ dbt.type_int() }}
        ) as days_since_last_purchase,
        cast(purchase_count as {{ dbt.type_int() }}) as purchase_count,
        cast(total_revenue as {{ type_money() }}) as total_revenue,
        {{ divide_money('total_revenue', 'purchase_count') }} as avg_order_value
    from measures

),

scored as (

    select
        *,
        {{ 'avg_order_value' if monetary_measure == 'average' else 'total_revenue' }} as monetary_value,
        {{ quantile_score('days_since_last_purchase', higher_is_better=false, partition_by='snapshot_date') }}
            as r_score,
        {{ quantile_score('purchase_count', partition_by='snapshot_date') }} as f_score,
        {{ quantile_score(
            'avg_order_value' if monetary_measure == 'average' else 'total_revenue',
            partition_by='snapshot_date') }} as m_score,
        {{ compare_to_mean('days_since_last_purchase', 'at_or_below', 'snapshot_date') }} as is_recent,
        {{ compare_to_mean('purchase_count', 'at_or_above', 'snapshot_date') }} as is_frequent,
        {{ compare_to_mean(
            'avg_order_value' if monetary_measure == 'average' else 'total_revenue',
            'at_or_above', 'snapshot_date') }} as is_high_monetary
    from with_monetary

),

final as (

    select
        scored.snapshot_date,
        scored.customer_id,
        scored.last_purchase_date,
        scored.days_since_last_purchase,
        scored.purchase_count,
        scored.total_revenue,
        scored.avg_order_value,
        scored.monetary_value,
        scored.r_score,
        scored.f_score,
        scored.m_score,
        {{ dbt.concat([
            'cast(scored.r_score as ' ~ dbt.type_string() ~ ')',
            'cast(scored.f_score as ' ~ dbt.type_string() ~ ')',
            'cast(scored.m_score as ' ~ dbt.type_string() ~ ')',
        ]) }} as rfm_code,
        segment_map.rfm_segment,
        scored.is_recent,
        scored.is_frequent,
        scored.is_high_monetary,
        {{ value_segment('scored.is_recent', 'scored.is_frequent', 'scored.is_high_monetary') }} as value_segment
    from scored
    left join segment_map
        on scored.r_score = segment_map.r_score
            and scored.f_score = segment_map.f_score
            and scored.m_score = segment_map.m_score

)

select * from final
