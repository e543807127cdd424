-- One row per acquisition month (month of the first completed order): customers,
-- historical and predicted CLV (total and per customer), expected purchases, mean P(alive).
-- depends_on: {{ ref('customer_clv') }}
{{ clv_rollup('cohort_month') }}
