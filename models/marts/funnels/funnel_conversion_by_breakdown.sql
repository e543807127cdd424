-- One row per breakdown (attribute and attribution, var `funnel_breakdowns`), value,
-- funnel and step: the funnel measures split by a person attribute taken at one step of
-- the person's counted attempt (macro funnel_breakdowns): first_touch (the entry step),
-- last_touch (the furthest step) or step_k (people with no step-k event are left out).
-- Each person counts under one value per breakdown.
-- depends_on: {{ ref('int_customer_rfm_snapshots') }} (read when a breakdown is rfm_segment)
-- depends_on: {{ ref('int_person_events') }} (read when a breakdown is platform)
{%- set breakdowns = funnel_breakdowns() %}
{%- set uses_rfm = breakdowns | selectattr('attribute', 'equalto', 'rfm_segment') | list | length > 0 %}
{%- set uses_platform = breakdowns | selectattr('attribute', 'equalto', 'platform') | list | length > 0 %}
with best_attempt_steps as (

    select * from {{ ref('int_funnel_person_best_attempts') }}

),

people as (

    select * from {{ ref('int_person_acquisition') }}

),

{%- if uses_platform %}

-- the platform of a step is its event's (the compact tables keep the event id only)
step_events as (

    select
        event_id,
        platform
    from {{ ref('int_person_events') }}

),
{%- endif %}
{%- if uses_rfm %}

rfm_snapshots as (

    select * from {{ ref('int_customer_rfm_snapshots') }}

),
{%- endif %}

-- one row per breakdown, funnel and person: the step whose event the value is taken from
touches as (

    {%- for breakdown in breakdowns %}
    select
        cast('{{ breakdown.attribute }}' as {{ dbt.type_string() }}) as breakdown_dimension,
        cast('{{ breakdown.attribution }}' as {{ dbt.type_string() }}) as breakdown_attribution,
        funnel_name,
        person_id,
        step_at as touch_at,
        -- the join keys of the attribute's lookup, NULL for other attributes: equi-joins
        -- only (a constant test in a LEFT JOIN's condition makes DuckDB loop over pairs)
        {{ 'step_event_id' if breakdown.attribute == 'platform' else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
            as platform_event_id,
        {{ 'customer_id' if breakdown.attribute == 'rfm_segment' else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
            as rfm_customer_id
    from best_attempt_steps
    where step_number = {{ breakdown.touch_step }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

valued as (

    select
        touches.breakdown_dimension,
        touches.breakdown_attribution,
        cast(case touches.breakdown_dimension
            {%- if uses_platform %}
            when 'platform' then coalesce(step_events.platform, 'unknown')
            {%- endif %}
            when 'first_touch_channel' then coalesce(people.acquisition_channel, 'unknown')
            when 'acquisition_platform' then coalesce(people.acquisition_platform, 'unknown')
            when 'country' then coalesce(people.country, 'unknown')
            {%- if uses_rfm %}
            when 'rfm_segment' then coalesce(rfm_snapshots.rfm_segment, '(none)')
            {%- endif %}
        end as {{ dbt.type_string() }}) as breakdown_value,
        touches.funnel_name,
        touches.person_id
    from touches
    left join people
        on touches.person_id = people.person_id
    {%- if uses_platform %}
    left join step_events
        on touches.platform_event_id = step_events.event_id
    {%- endif %}
    {%- if uses_rfm %}
    left join rfm_snapshots
        on
            touches.rfm_customer_id = rfm_snapshots.customer_id
            and rfm_snapshots.snapshot_date = {{ rfm_snapshot_date_before('touches.touch_at') }}
    {%- endif %}

),

-- each step of a person's counted attempt, once per breakdown they are counted in
progress as (

    select
        valued.breakdown_dimension,
        valued.breakdown_attribution,
        valued.breakdown_value,
        best_attempt_steps.*
    from valued
    inner join best_attempt_steps
        on
            valued.funnel_name = best_attempt_steps.funnel_name
            and valued.person_id = best_attempt_steps.person_id

),

{{ funnel_step_stats(
    'progress', ref('int_funnel_steps'),
    group_by=['breakdown_dimension', 'breakdown_attribution', 'breakdown_value']
) }},

final as (

    select * from step_stats

)

select * from final
