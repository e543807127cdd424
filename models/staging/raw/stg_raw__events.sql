with base as (

    select * from {{ ref('base_raw__events') }}

),

renamed as (

    select
        -- ids
        event_id,
        anonymous_id,
        customer_id,
        source_session_id,

        -- what happened, where
        event_name,
        channel,
        platform,

        -- timestamps (UTC)
        occurred_at,

        -- the run that last added or changed the row (incremental models downstream)
        processed_at

    from base
    where reject_reason is null

)

select * from renamed
