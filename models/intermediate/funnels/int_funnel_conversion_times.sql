-- One row per person, funnel and pair of steps (from_step < to_step) of the person's
-- counted attempt, both reached with a timestamp: the time between the two, exact in
-- microseconds, and its time-to-convert histogram bin. Open-entry steps passed without an
-- event have no time and no row. The one definition of a conversion time and its bin,
-- read by funnel_time_to_convert and funnel_time_to_convert_histogram.
-- Bins: a funnel's time_to_convert_bin_seconds (seed funnel_settings) gives bins of that
-- width (bin n = [n * width, (n + 1) * width)); without it the bins double in length, as
-- PostHog's and Amplitude's log-scaled charts: bin 0 = [0, 1 s), bin n = [2^(n-1), 2^n) s.
-- The log bin comes from ln() and is corrected against the exact integer edges, so a time
-- exactly on an edge falls in the bin the edge opens.
with best_attempt_steps as (

    select * from {{ ref('int_funnel_person_best_attempts') }}

),

funnels as (

    select distinct
        funnel_name,
        time_to_convert_bin_seconds
    from {{ ref('int_funnel_steps') }}

),

pairs as (

    select
        from_steps.funnel_name,
        from_steps.person_id,
        from_steps.step_number as from_step,
        to_steps.step_number as to_step,
        {{ epoch_microseconds('to_steps.step_at') }} - {{ epoch_microseconds('from_steps.step_at') }}
            as conversion_microseconds
    from best_attempt_steps as from_steps
    inner join best_attempt_steps as to_steps
        on
            from_steps.funnel_name = to_steps.funnel_name
            and from_steps.person_id = to_steps.person_id
            and from_steps.step_number < to_steps.step_number
    where from_steps.step_at is not null and to_steps.step_at is not null

),

-- the log bin estimated in floating point: exact except within rounding of an edge
estimated as (

    select
        pairs.*,
        funnels.time_to_convert_bin_seconds,
        case
            when pairs.conversion_microseconds < 1000000 then 0
            else
                cast(
                    floor(ln(cast(pairs.conversion_microseconds as {{ type_double() }}) / 1000000) / ln(2))
                    as {{ dbt.type_int() }}
                ) + 1
        end as log_bin_estimate
    from pairs
    inner join funnels
        on pairs.funnel_name = funnels.funnel_name

),

binned as (

    select
        funnel_name,
        person_id,
        from_step,
        to_step,
        conversion_microseconds,
        case
            when time_to_convert_bin_seconds is not null
                then {{ integer_divide(
                    'conversion_microseconds',
                    'cast(time_to_convert_bin_seconds as ' ~ dbt.type_bigint() ~ ') * 1000000'
                ) }}
            when log_bin_estimate = 0 then 0
            -- below the estimate's opening edge 2^(n-1) s: the bin before
            when conversion_microseconds < {{ log_bin_start_microseconds('log_bin_estimate') }}
                then log_bin_estimate - 1
            -- at or past the next bin's edge 2^n s: the bin after
            when conversion_microseconds >= {{ log_bin_start_microseconds('log_bin_estimate + 1') }}
                then log_bin_estimate + 1
            else log_bin_estimate
        end as bin_number,
        time_to_convert_bin_seconds
    from estimated

),

final as (

    select
        funnel_name,
        person_id,
        cast(from_step as {{ dbt.type_int() }}) as from_step,
        cast(to_step as {{ dbt.type_int() }}) as to_step,
        cast(conversion_microseconds as {{ dbt.type_bigint() }}) as conversion_microseconds,
        cast(bin_number as {{ dbt.type_int() }}) as bin_number,
        time_to_convert_bin_seconds
    from binned

)

select * from final
