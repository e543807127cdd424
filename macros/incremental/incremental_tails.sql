{#- Tail recomputation of the two person-stream models upstream of the change log
    (int_events_sessionized, int_person_events; DECISIONS.md, Incremental runs: tails). A
    change to a person's events at time t cannot alter anything computed from their events
    before t, so an incremental run keeps a person's stored rows up to their last row
    before the first change (the anchor) and recomputes the rows from the anchor on
    (int_events_sessionized carries its running state there: last event time, session
    count). The anchor row itself is recomputed (unchanged), so each recomputed person's
    earliest new row marks where their stored rows are replaced. The run appends only
    real rows (built-in append); the post-hooks replace_recomputed_tails and
    replace_recomputed_events delete the stored rows they replace. Scope is read at run
    time from the stored table, never at compile time. -#}

{#- Per changed person, `resume_at`, the time of their last stored row before their first
    change, or NULL when there is none (the whole history is recomputed).
    changes_cte: (person_id, changed_at) rows, several per person allowed. -#}
{% macro tail_anchors(changes_cte) -%}
    select
        first_changes.person_id,
        max(stored.occurred_at) as resume_at
    from (
        select
            person_id,
            min(changed_at) as changed_at
        from {{ changes_cte }}
        group by person_id
    ) as first_changes
    left join {{ this }} as stored
        on
            first_changes.person_id = stored.person_id
            and stored.occurred_at < first_changes.changed_at
    group by first_changes.person_id
{%- endmacro %}

{#- The rows of CTE `rows_cte` a run computes: all of them on a full build; on an incremental
    run each changed person's rows from their anchor on (the `anchors` CTE of tail_anchors). -#}
{% macro rows_in_tails(rows_cte) -%}
select {{ rows_cte }}.*
from {{ rows_cte }}
{%- if is_incremental() %}
inner join anchors
    on
        {{ rows_cte }}.person_id = anchors.person_id
        and {{ in_tail(rows_cte ~ '.occurred_at', 'anchors.resume_at') }}
{%- endif %}
{%- endmacro %}

{#- Post-hooks of a tail-kept model (incremental runs), in the model's transaction after
    the append, deleting the stored rows, from earlier runs, that this run's rows replace.
    replace_recomputed_tails: each recomputed person's rows at or after their earliest new
    row (the anchor, or their first event when the whole history was recomputed). -#}
{% macro replace_recomputed_tails() %}
    {%- if is_incremental() %}
    {%- set recomputed %}
select person_id, min(occurred_at) as tail_start
from {{ this }}
where processed_at = {{ run_stamp() }}
group by person_id
    {%- endset %}
    {{ delete_matching(this, recomputed,
        'stored.person_id = changed.person_id and stored.processed_at < ' ~ run_stamp()
        ~ ' and stored.occurred_at >= changed.tail_start') }}
    {%- endif %}
{% endmacro %}

{#- replace_recomputed_events: the rows of an event this run recomputed under any person
    (an event that moved to another person, or away from the anchor-less start of a
    history), and `vanished`, a query of event ids the stream no longer has (orders no
    longer completed), whose person may have no new row. -#}
{% macro replace_recomputed_events(vanished=none) %}
    {%- if is_incremental() %}
    {%- set events %}
select recomputed.event_id from {{ this }} as recomputed where recomputed.processed_at = {{ run_stamp() }}
{%- if vanished %}
union
{{ vanished }}
{%- endif %}
    {%- endset %}
    {{ delete_matching(this, events,
        'stored.event_id = changed.event_id and stored.processed_at < ' ~ run_stamp()) }}
    {%- endif %}
{% endmacro %}

{#- For int_person_events' post-hook: the stored order events whose order is no longer a
    completed order on or before the as-of date (cancelled, refunded or gone). NOT EXISTS,
    not NOT IN: PostgreSQL runs a NOT IN whose list outgrows work_mem row by row. -#}
{% macro orders_no_longer_completed() -%}
select stored_orders.event_id
from {{ this }} as stored_orders
where
    stored_orders.event_id like 'order:%'
    and not exists (
        select 1
        from {{ ref('int_orders_as_of') }} as orders
        where
            orders.is_completed
            and {{ order_event_id('orders.order_id') }} = stored_orders.event_id
    )
{%- endmacro %}

{#- Aggregate: a person's start from several triggers, the earliest one, but NULL (the
    whole history) when any trigger is NULL (min() alone would skip it). -#}
{% macro earliest_tail_start(start_column) -%}
    case when count(*) = count({{ start_column }}) then min({{ start_column }}) end
{%- endmacro %}

{#- True for a row at or after its person's tail start (`starts` joined on): all rows of
    a person recomputed whole (NULL start). -#}
{% macro in_tail(column, start_column) -%}
    (({{ start_column }}) is null or ({{ column }}) >= ({{ start_column }}))
{%- endmacro %}
