-- One row per customer in a cohort: the date that puts them in it (var `cohort_basis`:
-- `first_order` (default) = first completed order; `first_event` = first seen, events
-- or orders; `signup` = registration, else first seen) on or before the as-of date.
-- Breakdown attributes are attached by the retention marts (retention_breakdown_rows).
{%- set basis = var('cohort_basis', 'first_order') %}
{%- if basis not in ['first_order', 'first_event', 'signup'] %}
    {{ exceptions.raise_compiler_error(
        "cohort_basis must be first_order, first_event or signup, got '" ~ basis ~ "'") }}
{%- endif %}

with customers as (

    select * from {{ ref('int_customer_acquisition') }}

),

order_facts as (

    select * from {{ ref('int_customer_order_facts') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

dated as (

    select
        customers.customer_id,
        {%- if basis == 'first_order' %}
        order_facts.first_order_date as cohort_date
        {%- elif basis == 'first_event' %}
            cast(customers.first_seen_at as date) as cohort_date
        {%- else %}
            cast(coalesce(customers.signed_up_at, customers.first_seen_at) as date) as cohort_date
        {%- endif %}
    from customers
    left join order_facts
        on customers.customer_id = order_facts.customer_id

),

final as (

    select
        dated.customer_id,
        dated.cohort_date
    from dated
    cross join as_of
    where dated.cohort_date <= as_of.as_of_date

)

select * from final
