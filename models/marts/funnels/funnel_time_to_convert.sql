-- One row per funnel and pair of steps (from_step < to_step): how long the people whose
-- counted attempt reached both took between them, as the 25th, 50th, 75th, 90th and 95th
-- percentiles (exact, interpolated between the two nearest times) and the mean, in
-- seconds. Every pair, not only neighbours: from_step 1 to the last step is the funnel's
-- whole time to convert. Times from int_funnel_conversion_times.
with conversion_times as (

    select * from {{ ref('int_funnel_conversion_times') }}

),

funnel_steps as (

    select * from {{ ref('int_funnel_steps') }}

),

pair_stats as (

    select
        funnel_name,
        from_step,
        to_step,
        count(*) as converters,
        {%- for percentile in [25, 50, 75, 90, 95] %}
        {{ exact_percentile('conversion_microseconds', percentile / 100) }} as p{{ percentile }}_microseconds,
        {%- endfor %}
        sum(cast(conversion_microseconds as decimal(38, 0))) as total_microseconds
    from conversion_times
    group by
        funnel_name,
        from_step,
        to_step

),

final as (

    select
        pair_stats.funnel_name,
        pair_stats.from_step,
        from_steps.step_name as from_step_name,
        pair_stats.to_step,
        to_steps.step_name as to_step_name,
        cast(pair_stats.converters as {{ dbt.type_int() }}) as converters,
        {%- for percentile in [25, 50, 75, 90, 95] %}
        cast(pair_stats.p{{ percentile }}_microseconds as {{ type_double() }}) / 1000000 as p{{ percentile }}_seconds,
        {%- endfor %}
        {{ rate('pair_stats.total_microseconds', 'pair_stats.converters') }} / 1000000 as mean_seconds
    from pair_stats
    inner join funnel_steps as from_steps
        on
            pair_stats.funnel_name = from_steps.funnel_name
            and pair_stats.from_step = from_steps.step_number
    inner join funnel_steps as to_steps
        on
            pair_stats.funnel_name = to_steps.funnel_name
            and pair_stats.to_step = to_steps.step_number

)

select * from final
