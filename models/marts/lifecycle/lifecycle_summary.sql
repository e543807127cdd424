-- One row per month per lifecycle status (all five, zero when nobody has it): how many
-- customers had that status, and their share of the month's customers. What a
-- lifecycle chart draws (dormant is usually drawn below the axis).
with lifecycle as (

    select * from {{ ref('customer_lifecycle_monthly') }}

),

statuses as (

    {%- for status in ['new', 'returning', 'resurrecting', 'dormant', 'inactive'] %}
    select '{{ status }}' as lifecycle_status{{ ' union all' if not loop.last }}
    {%- endfor %}

),

months as (

    select distinct activity_month from lifecycle

),

counted as (

    select
        activity_month,
        lifecycle_status,
        count(*) as customers
    from lifecycle
    group by activity_month, lifecycle_status

),

final as (

    select
        months.activity_month,
        cast(statuses.lifecycle_status as {{ dbt.type_string() }}) as lifecycle_status,
        cast(coalesce(counted.customers, 0) as {{ dbt.type_int() }}) as customers,
        {{ rate('coalesce(counted.customers, 0)',
                'sum(coalesce(counted.customers, 0)) over (partition by months.activity_month)') }}
            as share_of_customers
    from months
    cross join statuses
    left join counted
        on
            months.activity_month = counted.activity_month
            and statuses.lifecycle_status = counted.lifecycle_status

)

select * from final
