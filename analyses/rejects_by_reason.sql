-- How many raw rows each table lost, and why: the first query to run on a new data drop.
-- `dbt compile --select rejects_by_reason`, then run target/compiled/.../rejects_by_reason.sql.
with rejects as (

    select * from {{ ref('stg_raw__rejects') }}

),

final as (

    select
        source_table,
        reject_reason,
        count(*) as rejected_rows,
        min(raw_record) as example_raw_record
    from rejects
    group by source_table, reject_reason

)

select * from final
order by source_table asc, rejected_rows desc
