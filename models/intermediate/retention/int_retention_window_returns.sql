-- One row per retention entry (`first_time` or `recurring`, see int_retention_day_returns)
-- per retention window the project reports (`configured_retention_windows`: on day N,
-- within N days, on or after day N, custom brackets): did the customer return inside the
-- window, counted from the entry's day. int_customer_retention_windows adds whether each
-- window has been observed by the as-of date, which moves daily, so it is not kept here.
-- Incremental by customer: a run recomputes the customers the change log
-- (int_person_stream_changes) listed after this model's latest run, whole, and replaces
-- their stored rows. Changing the retention vars needs --full-refresh.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config(
    replace_hook="{{ replace_changed_people(key_column='customer_id') }}"
)) }}
{%- set windows = configured_retention_windows() %}

with {{ changed_people_ctes(ref('int_retention_day_returns'), 'returns', key_column='customer_id') }}

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
        {{ run_stamp() }} as processed_at
    from customer_windows
    inner join flags
        on
            customer_windows.retention_type = flags.retention_type
            and customer_windows.customer_id = flags.customer_id
            and customer_windows.start_date = flags.start_date
            and customer_windows.window_id = flags.window_id

)

select * from final
