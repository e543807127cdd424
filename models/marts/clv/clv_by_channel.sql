-- One row per first-touch acquisition channel: customers, historical and predicted CLV
-- (total and per customer), expected purchases, mean P(alive).
-- depends_on: {{ ref('customer_clv') }}
{{ clv_rollup('acquisition_channel') }}
