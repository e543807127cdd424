-- One row per funnel, pair of steps (from_step < to_step) and time-to-convert bin, from
-- bin 0 to the pair's last non-empty bin (empty bins between them included, with 0
-- converters, so a chart's x axis has no gaps): the bin's edges in seconds (start
-- inclusive, end exclusive) and the converters whose time falls in it. Bins and times:
-- int_funnel_conversion_times (a width per funnel, else bins doubling in length).
with conversion_times as (

    select * from {{ ref('int_funnel_conversion_times') }}

),

bin_counts as (

    select
        funnel_name,
        from_step,
        to_step,
        bin_number,
        count(*) as converters
    from conversion_times
    group by
        funnel_name,
        from_step,
        to_step,
        bin_number

),

pairs as (

    select
        funnel_name,
        from_step,
        to_step,
        max(time_to_convert_bin_seconds) as bin_seconds,
        max(bin_number) as last_bin,
        count(*) as pair_converters
    from conversion_times
    group by
        funnel_name,
        from_step,
        to_step

),

bin_series as (

    {{ integer_series(periods_series_size(), through='select max(bin_number) from conversion_times') | indent(4) }}

),

-- every bin up to the last non-empty one; the non-empty bins are listed again so none is
-- lost should a pair have more bins than the series holds
pair_bins as (

    select
        pairs.funnel_name,
        pairs.from_step,
        pairs.to_step,
        bin_series.n as bin_number
    from pairs
    inner join bin_series
        on pairs.last_bin >= bin_series.n

    union

    select
        funnel_name,
        from_step,
        to_step,
        bin_number
    from bin_counts

),

final as (

    select
        pair_bins.funnel_name,
        pair_bins.from_step,
        pair_bins.to_step,
        cast(pair_bins.bin_number as {{ dbt.type_int() }}) as bin_number,
        cast(case
            when pairs.bin_seconds is not null
                then cast(pair_bins.bin_number as {{ type_double() }}) * pairs.bin_seconds
            when pair_bins.bin_number = 0 then 0
            else cast({{ log_bin_start_microseconds('pair_bins.bin_number') }} as {{ type_double() }}) / 1000000
        end as {{ type_double() }}) as bin_start_seconds,
        cast(case
            when pairs.bin_seconds is not null
                then cast(pair_bins.bin_number + 1 as {{ type_double() }}) * pairs.bin_seconds
            else cast({{ log_bin_start_microseconds('pair_bins.bin_number + 1') }} as {{ type_double() }}) / 1000000
        end as {{ type_double() }}) as bin_end_seconds,
        cast(coalesce(bin_counts.converters, 0) as {{ dbt.type_int() }}) as converters,
        {{ rate('coalesce(bin_counts.converters, 0)', 'pairs.pair_converters') }} as share_of_converters
    from pair_bins
    inner join pairs
        on
            pair_bins.funnel_name = pairs.funnel_name
            and pair_bins.from_step = pairs.from_step
            and pair_bins.to_step = pairs.to_step
    left join bin_counts
        on
            pair_bins.funnel_name = bin_counts.funnel_name
            and pair_bins.from_step = bin_counts.from_step
            and pair_bins.to_step = bin_counts.to_step
            and pair_bins.bin_number = bin_counts.bin_number

)

select * from final
