-- One row per known customer: the number of days without qualifying activity after
-- which they count as churned. Var `churn_days` (default 180) for everyone, unless
-- `churn_segment_column` names a customer attribute and seed `churn_thresholds` holds a
-- row for that attribute and the customer's value of it.
{%- set segment_column = var('churn_segment_column', none) %}
{%- set default_days = var('churn_days', 180) %}
{%- set allowed = ['acquisition_channel', 'acquisition_platform', 'country'] %}
{%- if segment_column is not none and segment_column not in allowed %}
    {{ exceptions.raise_compiler_error(
        "churn_segment_column must be null, acquisition_channel, acquisition_platform or country, got '"
        ~ segment_column ~ "'") }}
{%- endif %}
{%- if default_days is not number or default_days < 1 or default_days != default_days | int %}
    {{ exceptions.raise_compiler_error("churn_days must be a whole number of days >= 1, got " ~ default_days) }}
{%- endif %}

{#- without a segment column no seed row matches, and everyone gets churn_days -#}
{%- set segment_value = 'customers.' ~ segment_column if segment_column
    else 'cast(null as ' ~ dbt.type_string() ~ ')' %}

with customers as (

    select * from {{ ref('int_customer_acquisition') }}

),

thresholds as (

    select * from {{ ref('churn_thresholds') }}
    where segment_column = '{{ segment_column }}'

),

final as (

    select
        customers.customer_id,
        cast(coalesce(thresholds.churn_days, {{ default_days }}) as {{ dbt.type_int() }}) as churn_days,
        thresholds.segment_value as churn_segment
    from customers
    left join thresholds
        on {{ segment_value }} = thresholds.segment_value

)

select * from final
