-- One row per known customer: the number of days without qualifying activity after
-- which they count as churned. Var `churn_days` (default 180) for everyone, unless
-- `churn_segment_column` names a customer attribute and seed `churn_thresholds` holds a
-- row for that attribute and the customer's value of it.
{%- set segment_column = var('churn_segment_column', none) %}
{%- set default_days = var('churn_days', 180) %}
{%- if segment_column is not none and segment_column not in ['acquisition_channel', 'acquisition_platform', 'country'] %}
    {{ exceptions.raise_compiler_error(
        "churn_segment_column must be null, acquisition_channel, acquisition_platform or country, got '"
        ~ segment_column ~ "'") }}
{%- endif %}
{%- if default_days is not number or default_days < 1 or default_days != default_days | int %}
    {{ exceptions.raise_compiler_error("churn_days must be a whole number of days >= 1, got " ~ default_days) }}
{%- endif %}

with customers as (

    select * from {{ ref('int_customer_acquisition') }}

),

{%- if segment_column is none %}

final as (

    select
        customer_id,
        cast({{ default_days }} as {{ dbt.type_int() }}) as churn_days,
        cast(null as {{ dbt.type_string() }}) as churn_segment
    from customers

)
{%- else %}

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
        on customers.{{ segment_column }} = thresholds.segment_value

)
{%- endif %}

select * from final
