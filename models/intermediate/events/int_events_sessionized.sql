-- One row per valid event with its session. The tracker's session id is used where
-- the raw event has one; other events of a person start a new session after more than
-- `session_timeout_minutes` of inactivity (a gap of exactly the timeout continues it).
-- Incremental by tails: a run recomputes each changed person's events from their last
-- stored event before the first change on, carrying over the session count there
-- (macros/incremental/incremental_tails.sql), so session numbers equal a full build's;
-- the post-hook deletes the stored rows the run recomputed.
{{ config(**incremental_by_changed_people_config(
    replace_hook=["{{ replace_recomputed_tails() }}", "{{ replace_recomputed_events() }}"]
)) }}
{#- the parent is named in each CTE, not read through one: DuckDB materialises a CTE that
    is read more than once, which here would copy every event #}
{%- set stitched = ref('int_events_stitched') %}
{%- set identity_map = ref('int_identity_map') %}

with
{%- if is_incremental() %}

-- events staging added or changed after this table's last run
window_events as (

    select
        event_id,
        anonymous_id,
        person_id,
        occurred_at
    from {{ stitched }}
    where processed_at > {{ last_consumed_run() | indent(4) }}

),

-- the owner the window gives each anonymous id it holds
window_owners as (

    select distinct
        anonymous_id,
        person_id
    from window_events
    where anonymous_id is not null

),

-- stored events of an anonymous id the window gives another owner (a visitor who
-- identified): that history moves to the customer
moved_events as (

    select
        stored_events.event_id,
        stored_events.person_id,
        stored_events.anonymous_id,
        -- the event's own customer id (stored: coalesced with the one stitched then)
        case when not stored_events.is_stitched then stored_events.customer_id end as own_customer_id,
        stored_events.occurred_at
    from {{ this }} as stored_events
    inner join window_owners
        on stored_events.anonymous_id = window_owners.anonymous_id
    where stored_events.person_id != window_owners.person_id

),

-- where each person's events changed: the window's events as they are now and as stored
-- (a better duplicate can move one), and moved histories at their old and new owner
changes as (

    select
        person_id,
        occurred_at as changed_at
    from window_events
    union all
    select
        stored_events.person_id,
        stored_events.occurred_at as changed_at
    from {{ this }} as stored_events
    where stored_events.event_id in (select window_events.event_id from window_events)
    union all
    select
        person_id,
        occurred_at as changed_at
    from moved_events
    union all
    -- at the new owner, by the stitching rule itself: looking a few event ids up in
    -- int_events_stitched stitched every event, half of this model's daily time
    select
        {{ stitched_person_id('moved_events.own_customer_id', 'identity_map.customer_id',
            'moved_events.anonymous_id') | indent(8) }} as person_id,
        moved_events.occurred_at as changed_at
    from moved_events
    left join {{ identity_map }} as identity_map
        on moved_events.anonymous_id = identity_map.anonymous_id

),

anchors as (

    {{ tail_anchors('changes') | indent(4) }}

),

-- the state carried over at each anchor: the last untracked event before it and the
-- derived sessions started up to there
carried as (

    select
        anchors.person_id,
        max(stored_events.occurred_at) as last_untracked_at,
        max(stored_events.derived_session_number) as derived_sessions_before
    from anchors
    inner join {{ this }} as stored_events
        on
            anchors.person_id = stored_events.person_id
            and anchors.resume_at > stored_events.occurred_at
    where not stored_events.is_tracker_session
    group by anchors.person_id

),
{%- endif %}

events as (

    select
        stitched.*,
        {{ 'carried.last_untracked_at' if is_incremental() else 'cast(null as ' ~ dbt.type_timestamp() ~ ')' }}
            as last_untracked_at,
        {{ 'coalesce(carried.derived_sessions_before, 0)' if is_incremental() else '0' }} as derived_sessions_before
    from {{ stitched }} as stitched
    {% if is_incremental() -%}
    inner join anchors
        on
            stitched.person_id = anchors.person_id
            and {{ in_tail('stitched.occurred_at', 'anchors.resume_at') }}
    left join carried
        on stitched.person_id = carried.person_id
    {%- endif %}

),

untracked as (

    select
        event_id,
        person_id,
        occurred_at,
        derived_sessions_before,
        coalesce(
            lag(occurred_at) over (
                partition by person_id
                order by occurred_at, event_id
            ),
            last_untracked_at
        ) as previous_occurred_at
    from events
    where source_session_id is null

),

untracked_starts as (

    select
        event_id,
        person_id,
        occurred_at,
        derived_sessions_before,
        case
            when {{ starts_new_session('occurred_at', 'previous_occurred_at') }} then 1
            else 0
        end as is_session_start
    from untracked

),

-- an integer, not the running sum's HUGEINT: DuckDB reads a HUGEINT column 25x slower
untracked_numbered as (

    select
        event_id,
        cast(derived_sessions_before + sum(is_session_start) over (
            partition by person_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as {{ dbt.type_int() }}) as derived_session_number
    from untracked_starts

),

final as (

    select
        events.event_id,
        events.person_id,
        events.customer_id,
        events.anonymous_id,
        events.is_stitched,
        events.event_name,
        events.occurred_at,
        events.channel,
        events.platform,
        events.source_session_id is not null as is_tracker_session,
        untracked_numbered.derived_session_number,
        {{ person_session_id('events.person_id',
            "coalesce(events.source_session_id, 'derived-' || cast(untracked_numbered.derived_session_number as "
                ~ dbt.type_string() ~ "))") }} as session_id,
        {{ run_stamp() }} as processed_at
    from events
    left join untracked_numbered
        on events.event_id = untracked_numbered.event_id

)

select * from final
