-- One row per day from 2000-01-01 to 2039-12-31: the MetricFlow time spine (cumulative
-- metrics and time joins of the semantic layer), and a date table for BI tools.
with day_numbers as (

    {{ integer_series(14610) }}

),

final as (

    select
        cast({{ dbt.dateadd('day', 'n', "cast('2000-01-01' as date)") }} as date) as date_day
    from day_numbers

)

select * from final
