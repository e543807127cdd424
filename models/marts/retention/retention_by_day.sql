-- One row per cohort (grain `day`: customers whose start event fell on that date; grain
-- `week`: in that Monday-based week) per day number N of var `retention_days`: cohort
-- size and, for three measures, retained customers and rate:
--   on day N           returned on exactly day N;
--   within N days      returned on any day 1..N (cumulative);
--   on or after day N  returned on day N or later (unbounded), among members observed
--                      for at least N days only.
-- `is_complete` is true when every member has been observed through day N.
{%- set day_numbers = var('retention_days') %}
{%- if day_numbers is string or day_numbers is not iterable or day_numbers | length == 0 %}
    {{ exceptions.raise_compiler_error("retention_days must be a non-empty list of whole numbers >= 1") }}
{%- endif %}
{%- set on_window = {} %}
{%- set within_window = {} %}
{%- set after_window = {} %}
{%- for n in day_numbers %}
    {%- do on_window.update({n: retention_window('on', n)}) %}
    {%- do within_window.update({n: retention_window('within', n)}) %}
    {%- do after_window.update({n: retention_window('on_or_after', n)}) %}
{%- endfor %}

with returns as (

    select * from {{ ref('int_retention_day_returns') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

starts as (

    select distinct
        customer_id,
        start_date
    from returns

),

day_numbers as (

    {%- for n in day_numbers %}
        select {{ n }} as day_number{{ ' union all' if not loop.last }}
    {%- endfor %}

),

customer_days as (

    select
        starts.customer_id,
        starts.start_date,
        day_numbers.day_number
    from starts
    cross join day_numbers

),

flags as (

    select
        {%- for measure, windows in [('on_day', on_window), ('within', within_window), ('on_or_after', after_window)] %}
            max(
                case
                    {%- for n, window in windows.items() %}
                        when customer_days.day_number = {{ n }}
                            and {{ period_in_window('returns.day_number', window.start, window.end) }} then 1
                    {%- endfor %}
                    else 0
                end
            ) as returned_{{ measure }},
        {%- endfor %}
        customer_days.customer_id,
        customer_days.start_date,
        customer_days.day_number
    from customer_days
    left join returns
        on customer_days.customer_id = returns.customer_id
    group by customer_days.customer_id, customer_days.start_date, customer_days.day_number

),

observed as (

    select
        flags.*,
        case
            when {{ period_is_observed('flags.start_date', 'flags.day_number', 'as_of.as_of_date', 'day') }}
                then 1
            else 0
        end as is_observed
    from flags
    cross join as_of

),

cohorts as (

    {%- for grain in ['day', 'week'] %}
        select
            '{{ grain }}' as cohort_grain,
            {%- if grain == 'day' %}
                start_date as cohort_start_date,
            {%- else %}
                cast({{ dbt.date_trunc('week', 'start_date') }} as date) as cohort_start_date,
            {%- endif %}
            day_number,
            returned_on_day,
            returned_within,
            returned_on_or_after,
            is_observed
        from observed
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

aggregated as (

    select
        cohort_grain,
        cohort_start_date,
        day_number,
        count(*) as cohort_size,
        sum(returned_on_day) as on_day_retained,
        sum(returned_within) as within_retained,
        sum(is_observed) as on_or_after_eligible,
        sum(is_observed * returned_on_or_after) as on_or_after_retained
    from cohorts
    group by cohort_grain, cohort_start_date, day_number

),

final as (

    select
        cast(cohort_grain as {{ dbt.type_string() }}) as cohort_grain,
        cohort_start_date,
        cast(day_number as {{ dbt.type_int() }}) as day_number,
        cast(cohort_size as {{ dbt.type_int() }}) as cohort_size,
        cast(on_day_retained as {{ dbt.type_int() }}) as on_day_retained,
        {{ rate('on_day_retained', 'cohort_size') }} as on_day_retention_rate,
        cast(within_retained as {{ dbt.type_int() }}) as within_retained,
        {{ rate('within_retained', 'cohort_size') }} as within_retention_rate,
        cast(on_or_after_eligible as {{ dbt.type_int() }}) as on_or_after_eligible,
        cast(on_or_after_retained as {{ dbt.type_int() }}) as on_or_after_retained,
        {{ rate('on_or_after_retained', 'on_or_after_eligible') }} as on_or_after_retention_rate,
        on_or_after_eligible = cohort_size as is_complete
    from aggregated

)

select * from final
