-- One row per lifecycle grain (var `lifecycle_grains`, default day, week and month),
-- period and status (PostHog's lifecycle; zero when nobody has it): customers who are
--   new           active, and this is their first active period;
--   returning     active this period and the previous one;
--   resurrecting  active this period, not the previous one, but some earlier period;
--   dormant       not active this period, active the previous one.
-- Active in a period: the period's qualifying events (var `activity_events`) meet
-- `activity_min_count` (meets_activity_threshold), as in customer_lifecycle_monthly,
-- whose monthly counts this equals. Set-based on active periods only: each active
-- period gets its status from the customer's previous active one (period_number 1 apart:
-- returning), and the period after an active one that is not active is a dormant one,
-- up to the period holding the as-of date. No customer x calendar spine.
{%- set grains = choice_list_var('lifecycle_grains', ['day', 'week', 'month'], ['day', 'week', 'month']) %}
{%- set statuses = ['new', 'returning', 'resurrecting', 'dormant'] %}
with activity_days as (

    select * from {{ ref('int_customer_activity_days') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

{%- for grain in grains %}
{%- set period_start = 'activity_date' if grain == 'day'
    else 'cast(' ~ dbt.date_trunc(grain, 'activity_date') ~ ' as date)' %}

{{ grain }}_active as (

    select
        customer_id,
        {{ period_start }} as period_start,
        sum(activity_count) as activity_count
    from activity_days
    group by customer_id, {{ period_start }}

),

{{ grain }}_neighbours as (

    select
        customer_id,
        period_start,
        lag(period_start) over (partition by customer_id order by period_start) as previous_active_start,
        lead(period_start) over (partition by customer_id order by period_start) as next_active_start
    from {{ grain }}_active
    where {{ meets_activity_threshold('activity_count') }}

),

{{ grain }}_statuses as (

    select
        cast('{{ grain }}' as {{ dbt.type_string() }}) as period_grain,
        period_start,
        case
            when previous_active_start is null then 'new'
            when {{ period_number('previous_active_start', 'period_start', grain) }} = 1 then 'returning'
            else 'resurrecting'
        end as lifecycle_status
    from {{ grain }}_neighbours
    union all
    select
        cast('{{ grain }}' as {{ dbt.type_string() }}) as period_grain,
        cast({{ dbt.dateadd(grain, 1, 'neighbours.period_start') }} as date) as period_start,
        'dormant' as lifecycle_status
    from {{ grain }}_neighbours as neighbours
    cross join as_of
    where
        (
            neighbours.next_active_start is null
            or {{ period_number('neighbours.period_start', 'neighbours.next_active_start', grain) }} > 1
        )
        and {{ period_number('neighbours.period_start', 'as_of.as_of_date', grain) }} >= 1

),
{%- endfor %}

all_statuses as (

    {%- for grain in grains %}
    select * from {{ grain }}_statuses
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

counted as (

    select
        period_grain,
        period_start,
        lifecycle_status,
        count(*) as customers
    from all_statuses
    group by period_grain, period_start, lifecycle_status

),

periods as (

    select distinct
        period_grain,
        period_start
    from counted

),

status_list as (

    {%- for status in statuses %}
    select '{{ status }}' as lifecycle_status{{ ' union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        periods.period_grain,
        periods.period_start,
        cast(status_list.lifecycle_status as {{ dbt.type_string() }}) as lifecycle_status,
        cast(coalesce(counted.customers, 0) as {{ dbt.type_int() }}) as customers,
        -- dormant is drawn below the axis: the signed count a lifecycle chart stacks
        cast(
            case when status_list.lifecycle_status = 'dormant' then -1 else 1 end * coalesce(counted.customers, 0)
            as {{ dbt.type_int() }}
        ) as chart_value,
        case
            {%- for grain in grains %}
            when periods.period_grain = '{{ grain }}'
                then {{ period_is_observed('periods.period_start', 0, 'as_of.as_of_date', grain) }}
            {%- endfor %}
        end as is_period_complete
    from periods
    cross join status_list
    cross join as_of
    left join counted
        on
            periods.period_grain = counted.period_grain
            and periods.period_start = counted.period_start
            and status_list.lifecycle_status = counted.lifecycle_status

)

select * from final
