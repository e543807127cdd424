-- One row per retention entry (`first_time` or `recurring`, see int_retention_day_returns)
-- per retention window the project reports (`configured_retention_windows`: on day N,
-- within N days, on or after day N, custom brackets): did the customer return inside the
-- window, counted from the entry's day, and has the window been observed (its last day,
-- or its first for the open-ended on-or-after, on or before the as-of date).
-- retention_by_day and retention_by_bracket only count these rows.
{%- set windows = configured_retention_windows() %}

with returns as (

    select * from {{ ref('int_retention_day_returns') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

starts as (

    select distinct
        retention_type,
        customer_id,
        start_date,
        opens_week_cohort,
        last_return_day_number
    from returns

),

windows as (

    {%- for window in windows %}
    {% if not loop.first %}union all{% endif %}
    select
        {{ loop.index }} as window_id,
        '{{ window.measure }}' as retention_measure,
        {{ window.day_number if window.day_number is not none else 'null' }} as day_number,
        {{ window.first_day }} as window_first_day,
        {{ window.last_day if window.last_day is not none else 'null' }} as window_last_day
    {%- endfor %}

),

customer_windows as (

    select
        starts.retention_type,
        starts.customer_id,
        starts.start_date,
        starts.opens_week_cohort,
        starts.last_return_day_number,
        windows.window_id,
        windows.retention_measure,
        windows.day_number,
        windows.window_first_day,
        windows.window_last_day
    from starts
    cross join windows

),

flags as (

    -- bounded windows from the return days; open-ended ones from the last return (the
    -- return days stop at the longest bounded window's end)
    select
        customer_windows.retention_type,
        customer_windows.customer_id,
        customer_windows.start_date,
        customer_windows.window_id,
        max(
            case
                {%- for window in windows %}
                {%- if window.last_day is none %}
                when customer_windows.window_id = {{ loop.index }}
                    and {{ period_in_window('customer_windows.last_return_day_number', window.first_day) }} then 1
                {%- else %}
                when customer_windows.window_id = {{ loop.index }}
                    and {{ period_in_window('returns.day_number', window.first_day, window.last_day) }} then 1
                {%- endif %}
                {%- endfor %}
                else 0
            end
        ) as returned
    from customer_windows
    left join returns
        on
            customer_windows.retention_type = returns.retention_type
            and customer_windows.customer_id = returns.customer_id
            and customer_windows.start_date = returns.start_date
    group by
        customer_windows.retention_type,
        customer_windows.customer_id,
        customer_windows.start_date,
        customer_windows.window_id

),

final as (

    select
        customer_windows.retention_type,
        customer_windows.customer_id,
        customer_windows.start_date,
        cast({{ dbt.date_trunc('week', 'customer_windows.start_date') }} as date) as start_week,
        customer_windows.opens_week_cohort,
        cast(customer_windows.retention_measure as {{ dbt.type_string() }}) as retention_measure,
        cast(customer_windows.day_number as {{ dbt.type_int() }}) as day_number,
        cast(customer_windows.window_first_day as {{ dbt.type_int() }}) as window_first_day,
        cast(customer_windows.window_last_day as {{ dbt.type_int() }}) as window_last_day,
        flags.returned = 1 as has_returned,
        {{ period_is_observed(
            'customer_windows.start_date',
            'coalesce(customer_windows.window_last_day, customer_windows.window_first_day)',
            'as_of.as_of_date', 'day') }} as is_observed
    from customer_windows
    cross join as_of
    inner join flags
        on
            customer_windows.retention_type = flags.retention_type
            and customer_windows.customer_id = flags.customer_id
            and customer_windows.start_date = flags.start_date
            and customer_windows.window_id = flags.window_id

)

select * from final
