-- Every RFM code 111..555 maps to exactly one segment in seed rfm_segment_map, and the
-- seed holds nothing else. Returns the codes that break this.
with scores as (

    select n + 1 as score
    from ({{ integer_series(5) }}) as series

),

codes as (

    select
        r.score as r_score,
        f.score as f_score,
        m.score as m_score
    from scores as r
    cross join scores as f
    cross join scores as m

),

segment_map as (

    select
        r_score,
        f_score,
        m_score,
        rfm_code,
        count(*) over (partition by r_score, f_score, m_score) as mappings
    from {{ ref('rfm_segment_map') }}

),

final as (

    select
        coalesce(codes.r_score, segment_map.r_score) as r_score,
        coalesce(codes.f_score, segment_map.f_score) as f_score,
        coalesce(codes.m_score, segment_map.m_score) as m_score,
        segment_map.mappings
    from codes
    full outer join segment_map
        on codes.r_score = segment_map.r_score
            and codes.f_score = segment_map.f_score
            and codes.m_score = segment_map.m_score
    where
        codes.r_score is null
        or segment_map.r_score is null
        or segment_map.mappings != 1
        or segment_map.rfm_code != concat(
            cast(segment_map.r_score as {{ dbt.type_string() }}),
            cast(segment_map.f_score as {{ dbt.type_string() }}),
            cast(segment_map.m_score as {{ dbt.type_string() }})
        )

)

select * from final
