-- One row per pair of consecutive month ends per segment scheme per (from, to) segment
-- pair: how many customers moved from segment A at the previous month end to segment B
-- at this one. Customers not yet in the window show as '(none)'.
with monthly as (

    select * from {{ ref('customer_rfm_monthly') }}

),

month_ends as (

    select snapshot_date as month_end_date
    from {{ ref('int_rfm_snapshot_dates') }}
    where is_month_end

),

pairs as (

    select
        month_end_date,
        lag(month_end_date) over (order by month_end_date) as previous_month_end_date
    from month_ends

),

current_members as (

    select
        pairs.month_end_date,
        pairs.previous_month_end_date,
        monthly.customer_id,
        monthly.rfm_segment,
        monthly.value_segment
    from pairs
    inner join monthly
        on pairs.month_end_date = monthly.month_end_date
    where pairs.previous_month_end_date is not null

),

previous_members as (

    select
        pairs.month_end_date,
        pairs.previous_month_end_date,
        monthly.customer_id,
        monthly.rfm_segment,
        monthly.value_segment
    from pairs
    inner join monthly
        on pairs.previous_month_end_date = monthly.month_end_date

),

transitions as (

    select
        coalesce(current_members.month_end_date, previous_members.month_end_date) as month_end_date,
        coalesce(current_members.previous_month_end_date, previous_members.previous_month_end_date)
            as previous_month_end_date,
        coalesce(previous_members.rfm_segment, '(none)') as from_rfm_segment,
        coalesce(current_members.rfm_segment, '(none)') as to_rfm_segment,
        coalesce(previous_members.value_segment, '(none)') as from_value_segment,
        coalesce(current_members.value_segment, '(none)') as to_value_segment
    from current_members
    full outer join previous_members
        on current_members.month_end_date = previous_members.month_end_date
            and current_members.customer_id = previous_members.customer_id

),

by_scheme as (

    select
        month_end_date,
        previous_month_end_date,
        'rfm_11' as segment_scheme,
        from_rfm_segment as from_segment,
        to_rfm_segment as to_segment
    from transitions

    union all

    select
        month_end_date,
        previous_month_end_date,
        'value_8' as segment_scheme,
        from_value_segment as from_segment,
        to_value_segment as to_segment
    from transitions

),

counted as (

    select
        month_end_date,
        previous_month_end_date,
        segment_scheme,
        from_segment,
        to_segment,
        count(*) as customers
    from by_scheme
    group by month_end_date, previous_month_end_date, segment_scheme, from_segment, to_segment

),

final as (

    select
        month_end_date,
        previous_month_end_date,
        segment_scheme,
        from_segment,
        to_segment,
        cast(customers as {{ dbt.type_int() }}) as customers,
        cast(customers as {{ type_double() }}) / sum(customers) over (
            partition by month_end_date, segment_scheme, from_segment
        ) as share_of_from_segment
    from counted

)

select * from final
