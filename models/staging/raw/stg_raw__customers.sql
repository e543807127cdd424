with base as (

    select * from {{ ref('base_raw__customers') }}

),

renamed as (

    select
        -- ids
        customer_id,

        -- PII, hashed
        email_hash,

        -- attributes
        acquisition_channel,
        country,

        -- timestamps (UTC)
        created_at

    from base
    where reject_reason is null

)

select * from renamed
