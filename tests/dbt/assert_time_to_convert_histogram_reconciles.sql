-- Every converter of a funnel step pair is in exactly one histogram bin: per pair, the
-- histogram's converters add up to funnel_time_to_convert's converters, and no pair is in
-- one mart only. Returns the pairs that do not reconcile.
with histogram as (

    select
        funnel_name,
        from_step,
        to_step,
        sum(converters) as binned_converters
    from {{ ref('funnel_time_to_convert_histogram') }}
    group by
        funnel_name,
        from_step,
        to_step

),

summary as (

    select
        funnel_name,
        from_step,
        to_step,
        converters
    from {{ ref('funnel_time_to_convert') }}

)

select
    coalesce(summary.funnel_name, histogram.funnel_name) as funnel_name,
    coalesce(summary.from_step, histogram.from_step) as from_step,
    coalesce(summary.to_step, histogram.to_step) as to_step,
    summary.converters,
    histogram.binned_converters
from summary
full outer join histogram
    on
        summary.funnel_name = histogram.funnel_name
        and summary.from_step = histogram.from_step
        and summary.to_step = histogram.to_step
where
    summary.converters is null
    or histogram.binned_converters is null
    or summary.converters != histogram.binned_converters
