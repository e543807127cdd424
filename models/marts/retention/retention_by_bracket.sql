-- One row per cohort (grain `day` or `week`, as in retention_by_day) per custom day
-- bracket [first, last] of var `retention_brackets`: customers who returned on any day
-- of the bracket, and the rate over the cohort. `is_complete` is true when every member
-- has been observed through the bracket's last day.
{%- set brackets = var('retention_brackets') %}
{%- if brackets is string or brackets is not iterable or brackets | length == 0 %}
    {{ exceptions.raise_compiler_error("retention_brackets must be a non-empty list of [first, last] day pairs") }}
{%- endif %}
{%- set windows = [] %}
{%- for bracket in brackets %}
    {%- if bracket is string or bracket is not iterable or bracket | length != 2 %}
        {{ exceptions.raise_compiler_error("retention_brackets: each bracket must be [first, last], got " ~ bracket) }}
    {%- endif %}
    {%- do windows.append(retention_window('bracket', bracket[0], bracket[1])) %}
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

brackets as (

    {%- for window in windows %}
        {% if not loop.first %}union all{% endif %}
        select
            {{ window.start }} as bracket_first_day,
            {{ window.end }} as bracket_last_day
    {%- endfor %}

),

customer_brackets as (

    select
        starts.customer_id,
        starts.start_date,
        brackets.bracket_first_day,
        brackets.bracket_last_day
    from starts
    cross join brackets

),

flags as (

    select
        customer_brackets.customer_id,
        customer_brackets.start_date,
        customer_brackets.bracket_first_day,
        customer_brackets.bracket_last_day,
        max(
            case
                {%- for window in windows %}
                    when customer_brackets.bracket_first_day = {{ window.start }}
                        and customer_brackets.bracket_last_day = {{ window.end }}
                        and {{ period_in_window('returns.day_number', window.start, window.end) }} then 1
                {%- endfor %}
                else 0
            end
        ) as returned_in_bracket
    from customer_brackets
    left join returns
        on customer_brackets.customer_id = returns.customer_id
    group by
        customer_brackets.customer_id,
        customer_brackets.start_date,
        customer_brackets.bracket_first_day,
        customer_brackets.bracket_last_day

),

cohorts as (

    {%- for grain in ['day', 'week'] %}
        select
            '{{ grain }}' as cohort_grain,
            {%- if grain == 'day' %}
                flags.start_date as cohort_start_date,
            {%- else %}
                cast({{ dbt.date_trunc('week', 'flags.start_date') }} as date) as cohort_start_date,
            {%- endif %}
            flags.bracket_first_day,
            flags.bracket_last_day,
            flags.returned_in_bracket,
            case
                when {{ period_is_observed('flags.start_date', 'flags.bracket_last_day', 'as_of.as_of_date', 'day') }}
                    then 1
                else 0
            end as is_observed
        from flags
        cross join as_of
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

aggregated as (

    select
        cohort_grain,
        cohort_start_date,
        bracket_first_day,
        bracket_last_day,
        count(*) as cohort_size,
        sum(returned_in_bracket) as retained_customers,
        sum(is_observed) as observed_customers
    from cohorts
    group by cohort_grain, cohort_start_date, bracket_first_day, bracket_last_day

),

final as (

    select
        cast(cohort_grain as {{ dbt.type_string() }}) as cohort_grain,
        cohort_start_date,
        cast(bracket_first_day as {{ dbt.type_int() }}) as bracket_first_day,
        cast(bracket_last_day as {{ dbt.type_int() }}) as bracket_last_day,
        {{ dbt.concat([
            'cast(bracket_first_day as ' ~ dbt.type_string() ~ ')', "'-'",
            'cast(bracket_last_day as ' ~ dbt.type_string() ~ ')']) }} as bracket_label,
        cast(cohort_size as {{ dbt.type_int() }}) as cohort_size,
        cast(retained_customers as {{ dbt.type_int() }}) as retained_customers,
        {{ rate('retained_customers', 'cohort_size') }} as retention_rate,
        observed_customers = cohort_size as is_complete
    from aggregated

)

select * from final
