{#- The RFM snapshot a customer is attributed to at a date or timestamp: the month end
    before that day's month (the last snapshot complete on that day). The one definition of
    "the RFM segment at" a time, used by the retention and funnel breakdowns. -#}
{% macro rfm_snapshot_date_before(at) %}
    cast({{ dbt.dateadd('day', -1, dbt.date_trunc('month', '(' ~ at ~ ')')) }} as date)
{%- endmacro %}
