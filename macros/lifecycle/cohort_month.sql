{#- The order cohort of a customer: the month of their first completed order, as a date
    (the 1st). The one definition behind cohort_month in customers, orders and
    customer_clv. -#}
{% macro cohort_month(first_order_date) %}
    cast({{ dbt.date_trunc('month', '(' ~ first_order_date ~ ')') }} as date)
{%- endmacro %}
