-- The last observed day, inclusive: the `as_of_date` var, or else the date of the
-- latest valid order or event. Rows after it are valid but left out of as-of marts.
{%- set as_of = date_var('as_of_date') %}
{%- set as_of_expression = "cast('" ~ as_of ~ "' as date)" if as_of is not none else 'latest_activity_date' %}

with orders as (

    select order_date from {{ ref('stg_raw__orders') }}

),

events as (

    select occurred_at from {{ ref('stg_raw__events') }}

),

activity_dates as (

    select order_date as activity_date from orders
    union all
    select cast(occurred_at as date) as activity_date from events

),

latest as (

    select max(activity_date) as latest_activity_date
    from activity_dates

),

final as (

    select
        {{ as_of_expression }} as as_of_date,
        latest_activity_date
    from latest

)

select * from final
