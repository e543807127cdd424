{#- Tail recomputation of the person-stream models (DECISIONS.md, Incremental runs:
    tails). A change to a person's events at time t cannot alter anything computed from
    their events before t, so an incremental run keeps a person's stored rows up to their
    last row before the first change (the anchor), carries over the running state there
    (last event time, session count) and recomputes only the rows from the anchor on. The
    anchor row itself is recomputed (unchanged) so that every changed person has at least
    one restamped row for the models downstream. Written rows are replaced by their row
    key; stored rows of the recomputed stretch that no longer exist get a marker row
    (tail_markers), deleted with them. -#}

{#- Config of a model kept incrementally by tails: delete+insert on the row key; marker
    rows (NULL `marker_column`, never NULL in real rows) delete stored rows that vanished
    and are then removed by the post-hook. Spark: a full rebuild (see
    incremental_by_person_config, whose dispatch this uses). -#}
{% macro incremental_by_tail_config(row_key, marker_column) %}
    {{ return(incremental_by_person_config(marker_column, row_key)) }}
{% endmacro %}

{#- For a model that keeps its own running state (a session count along a person's
    events): per changed person, `resume_at`, the time of their last stored row before
    their first change, or NULL when there is none (the whole history is recomputed).
    changes_cte: (person_id, changed_at) rows, several per person allowed. -#}
{% macro tail_anchors(changes_cte) %}
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
{% endmacro %}

{#- For a model downstream of a tail-kept parent: per person to recompute, `tail_from`,
    the earliest `order_column` value among the parent's rows stamped after `since` (the
    parent's recomputed stretch starts at its anchor, before every change), or NULL when
    all of the person's rows were restamped or the parent no longer has the person (then
    the whole history is recomputed). `key_column`: the person column of both tables
    (customer_id works too: a customer's rows are the whole person stream of that id);
    `stored_where`: see people_gone_from. -#}
{% macro tail_starts(parent, since, order_column='occurred_at', key_column='person_id', stored_where='1 = 1') %}
    select
        restamped.{{ key_column }},
        case
            when min(parent_rows.{{ order_column }}) < restamped.first_restamped then restamped.first_restamped
        end as tail_from
    from (
        select
            {{ key_column }},
            min({{ order_column }}) as first_restamped
        from {{ parent }}
        where {{ stamped_after(since) }} and {{ key_column }} is not null
        group by {{ key_column }}
    ) as restamped
    inner join {{ parent }} as parent_rows
        on restamped.{{ key_column }} = parent_rows.{{ key_column }}
    group by restamped.{{ key_column }}, restamped.first_restamped
    union all
    select
        {{ key_column }},
        null as tail_from
    from ({{ people_gone_from(parent, key_column, stored_where) }}) as gone
{% endmacro %}

{#- True for a row at or after its person's tail start (`starts` joined on): all rows of
    a person recomputed whole (NULL start). -#}
{% macro in_tail(column, start_column) %}
    ({{ start_column }} is null or {{ column }} >= {{ start_column }})
{%- endmacro %}

{#- Appended to the final select of a tail-kept model: a marker row (key columns only)
    for each stored row of the recomputed stretch that the run did not write again
    (`written_cte`). The stretch: stored rows joined to `starts_cte` on person_id (as
    `starts`) where `in_stretch` holds (a condition on `stored` and `starts`, usually
    in_tail). delete+insert deletes the stored row by its key; the post-hook deletes the
    marker. `person_column`: the person column of both. -#}
{% macro tail_markers(written_cte, starts_cte, in_stretch, key_columns, person_column='person_id') %}
    {%- set keys = key_columns | join(', ') %}
    union all by name
    select {{ keys }}
    from (
        select {% for key in key_columns %}stored.{{ key }}{{ ', ' if not loop.last }}{% endfor %}
        from {{ this }} as stored
        inner join {{ starts_cte }} as starts
            on stored.{{ person_column }} = starts.{{ person_column }} and {{ in_stretch }}
        except
        select {{ keys }} from {{ written_cte }}
    ) as vanished_rows
{%- endmacro %}

{#- For the funnel attempt models: per person to recompute, `from_microseconds`, the
    earliest entry time (epoch microseconds) whose attempts can have changed: the tail
    start of `person_events` (tail_starts) moved back by the longest conversion window of
    `funnel_steps`, since an attempt sees only events inside its window. NULL: the whole
    history. -#}
{% macro attempt_recompute_from(person_events, since, funnel_steps) %}
    select
        tail_starts.person_id,
        {{ epoch_microseconds('tail_starts.tail_from') }}
        - windows.longest_window_days * cast(86400000000 as bigint) as from_microseconds
    from ({{ tail_starts(person_events, since) }}) as tail_starts
    cross join (
        select max(conversion_window_days) as longest_window_days
        from {{ funnel_steps }}
    ) as windows
{% endmacro %}
