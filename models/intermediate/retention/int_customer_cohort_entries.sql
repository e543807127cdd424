-- One row per retention type per cohort grain (var `cohort_grains`) per cohort period per
-- customer who entered a cohort in it, with the entry date (activity before it does not
-- count, even in the entry's own period):
--   first_time  the period of the customer's cohort date (var `cohort_basis`, see
--               int_customer_cohorts): one entry per customer and grain;
--   recurring   every period in which the customer does the cohort-basis event, from
--               that period on (a completed order for `first_order`, any event or order
--               for `first_event`); the entry date is the first such day of the period.
--               A sign-up happens once, so with `signup` recurring equals first_time.
-- cohort_retention reads these entries, so both types share one definition of a cohort.
{%- set basis = var('cohort_basis', 'first_order') %}
{%- set grains = choice_list_var('cohort_grains', ['week', 'month'], ['week', 'month']) %}

with members as (

    select * from {{ ref('int_customer_cohorts') }}

),

basis_days as (

    -- the cohort date itself, then every later day with the basis event
    select
        customer_id,
        cohort_date as basis_date
    from members
    {%- if basis in ['first_order', 'first_event'] %}

    union

    select
        later.customer_id,
        later.basis_date
    from (
        {%- if basis == 'first_order' %}
        select
            customer_id,
            purchase_date as basis_date
        from {{ ref('int_customer_purchase_days') }}
        {%- else %}
        select
            customer_id,
            activity_date as basis_date
        from {{ ref('int_customer_events_daily') }}
        {%- endif %}
    ) as later
    inner join members
        on
            later.customer_id = members.customer_id
            and later.basis_date >= members.cohort_date
    {%- endif %}

),

entries as (

    {%- for grain in grains %}
    {{ 'union all' if not loop.first }}
    select
        'first_time' as retention_type,
        '{{ grain }}' as cohort_grain,
        cast({{ dbt.date_trunc(grain, 'cohort_date') }} as date) as cohort_start_date,
        customer_id,
        cohort_date as entry_date
    from members

    union all

    select
        'recurring' as retention_type,
        '{{ grain }}' as cohort_grain,
        cast({{ dbt.date_trunc(grain, 'basis_date') }} as date) as cohort_start_date,
        customer_id,
        min(basis_date) as entry_date
    from basis_days
    group by customer_id, cast({{ dbt.date_trunc(grain, 'basis_date') }} as date)
    {%- endfor %}

),

final as (

    select
        cast(retention_type as {{ dbt.type_string() }}) as retention_type,
        cast(cohort_grain as {{ dbt.type_string() }}) as cohort_grain,
        cohort_start_date,
        customer_id,
        entry_date
    from entries

)

select * from final
