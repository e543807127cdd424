-- One row per funnel and event name seen in a counted attempt's span: how many converters
-- (the counted attempt reached the last step) and non-converters did and did not do it,
-- and the odds ratio of converting for those who did, with 0.5 added to each cell (the
-- Haldane-Anscombe correction, so a zero cell gives a finite ratio), ranked per funnel.
-- The span runs from the attempt's entry, exclusive, to its last step's event, exclusive,
-- for converters, and to the window's end, inclusive, for the others (PostHog's
-- correlation analysis: what people did on the way, not the steps themselves); the
-- funnel's own step events are left out. `is_small_count` flags a ratio resting on a
-- cell below var `funnel_driver_min_people` (default 5) people.
{%- set min_people = var('funnel_driver_min_people', 5) %}
{%- if min_people is not number or min_people < 1 or min_people != min_people | int %}
    {{ exceptions.raise_compiler_error(
        "funnel_driver_min_people must be a whole number >= 1, got " ~ min_people) }}
{%- endif %}
with best_attempt_steps as (

    select * from {{ ref('int_funnel_person_best_attempts') }}

),

funnel_steps as (

    select * from {{ ref('int_funnel_steps') }}

),

step_events as (

    select distinct
        funnel_name,
        event_name
    from {{ ref('funnel_steps') }}

),

person_events as (

    select * from {{ ref('int_person_events') }}

),

-- one row per person and funnel: the counted attempt's span and whether it converted
attempts as (

    select
        best.funnel_name,
        best.person_id,
        best.entry_at,
        best.furthest_step = funnel_steps.step_count as is_converter,
        case
            when best.furthest_step = funnel_steps.step_count then {{ epoch_microseconds('best.step_at') }}
            else {{ funnel_window_end_us('best.entry_at', 'funnel_steps') }}
        end as span_end_us
    from best_attempt_steps as best
    inner join funnel_steps
        on
            best.funnel_name = funnel_steps.funnel_name
            and best.step_number = funnel_steps.step_number
    where best.step_number = best.furthest_step

),

funnel_people as (

    select
        funnel_name,
        count(case when is_converter then 1 end) as converters,
        count(case when not is_converter then 1 end) as non_converters
    from attempts
    group by funnel_name

),

-- one row per person, funnel and event name they did inside the span
did as (

    select distinct
        attempts.funnel_name,
        attempts.person_id,
        attempts.is_converter,
        events.event_name
    from attempts
    inner join person_events as events
        on
            attempts.person_id = events.person_id
            and attempts.entry_at < events.occurred_at
    left join step_events
        on
            attempts.funnel_name = step_events.funnel_name
            and events.event_name = step_events.event_name
    where
        step_events.event_name is null
        and (
            (attempts.is_converter and {{ epoch_microseconds('events.occurred_at') }} < attempts.span_end_us)
            or (not attempts.is_converter and {{ epoch_microseconds('events.occurred_at') }} <= attempts.span_end_us)
        )

),

event_counts as (

    select
        funnel_name,
        event_name,
        count(case when is_converter then 1 end) as converters_did,
        count(case when not is_converter then 1 end) as non_converters_did
    from did
    group by
        funnel_name,
        event_name

),

cells as (

    select
        event_counts.funnel_name,
        event_counts.event_name,
        event_counts.converters_did,
        funnel_people.converters - event_counts.converters_did as converters_did_not,
        event_counts.non_converters_did,
        funnel_people.non_converters - event_counts.non_converters_did as non_converters_did_not
    from event_counts
    inner join funnel_people
        on event_counts.funnel_name = funnel_people.funnel_name

),

rated as (

    select
        cells.*,
        (cast(cells.converters_did as {{ type_double() }}) + 0.5)
        * (cast(cells.non_converters_did_not as {{ type_double() }}) + 0.5)
        / (
            (cast(cells.converters_did_not as {{ type_double() }}) + 0.5)
            * (cast(cells.non_converters_did as {{ type_double() }}) + 0.5)
        ) as odds_ratio
    from cells

),

final as (

    select
        funnel_name,
        event_name,
        cast(converters_did as {{ dbt.type_int() }}) as converters_did,
        cast(converters_did_not as {{ dbt.type_int() }}) as converters_did_not,
        cast(non_converters_did as {{ dbt.type_int() }}) as non_converters_did,
        cast(non_converters_did_not as {{ dbt.type_int() }}) as non_converters_did_not,
        odds_ratio,
        cast(row_number() over (
            partition by funnel_name
            order by odds_ratio desc, event_name asc
        ) as {{ dbt.type_int() }}) as odds_ratio_rank,
        least(converters_did, converters_did_not, non_converters_did, non_converters_did_not)
        < {{ min_people }} as is_small_count
    from rated

)

select * from final
