-- One row per retention entry (`first_time` or `recurring`) per retention window the
-- project reports: whether the customer returned inside it (int_retention_window_returns,
-- kept by customer) and whether the window has been observed, its last day (its first
-- for the open-ended on-or-after) on or before the as-of date. A view: the as-of date
-- moves every day, and the flag is one comparison per row.
-- retention_by_day and retention_by_bracket only count these rows.
{{ config(materialized='view') }}

with window_returns as (

    select * from {{ ref('int_retention_window_returns') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

final as (

    select
        window_returns.retention_type,
        window_returns.customer_id,
        window_returns.start_date,
        window_returns.start_week,
        window_returns.opens_week_cohort,
        window_returns.retention_measure,
        window_returns.day_number,
        window_returns.window_first_day,
        window_returns.window_last_day,
        window_returns.has_returned,
        {{ period_is_observed(
            'window_returns.start_date',
            'coalesce(window_returns.window_last_day, window_returns.window_first_day)',
            'as_of.as_of_date', 'day') }} as is_observed
    from window_returns
    cross join as_of

)

select * from final
