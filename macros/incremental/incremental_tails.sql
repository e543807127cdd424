{#- Tail recomputation of the person-stream models (DECISIONS.md, Incremental runs:
    tails). A change to a person's events at time t cannot alter anything computed from
    their events before t, so an incremental run keeps a person's stored rows up to their
    last row before the first change (the anchor), carries over the running state there
    (last event time, session count) and recomputes only the rows from the anchor on. The
    anchor row itself is recomputed (unchanged) so that every changed person has at least
    one restamped row for the models downstream. The run's output holds the recomputed
    rows and one start row per recomputed person (tail_start_rows); the strategy
    tail_replace deletes each person's stored rows from their start on, then inserts the
    recomputed rows. -#}

{#- Config of a model kept incrementally by tails. DuckDB: the custom strategy
    tail_replace (below). Start rows are told apart by a NULL `marker_column`, never NULL
    in real rows. Spark: a full rebuild, as for the person-grain models. -#}
{% macro incremental_by_tail_config(person_column, tail_column, marker_column) %}
    {{ return(adapter.dispatch('incremental_by_tail_config', 'customer_lifecycle')(
        person_column, tail_column, marker_column)) }}
{% endmacro %}

{% macro default__incremental_by_tail_config(person_column, tail_column, marker_column) %}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'tail_replace',
               'unique_key': person_column, 'tail_column': tail_column,
               'marker_column': marker_column, 'on_schema_change': 'fail'}) }}
{% endmacro %}

{% macro spark__incremental_by_tail_config(person_column, tail_column, marker_column) %}
    {{ return({'materialized': 'table', 'file_format': 'parquet'}) }}
{% endmacro %}

{#- Incremental strategy `tail_replace` (dbt calls get_incremental_<strategy>_sql): per
    start row of the run's output, delete the person's stored rows whose tail column is
    at or after the start (all of them for a NULL start), then insert the other rows. One
    range delete joined on the person: it replaced a delete by row key plus marker rows
    for vanished rows, which scanned the stored table twice. The recomputed rows all lie
    in their person's deleted stretch (tail_start_rows), so none is stored twice. -#}
{% macro get_incremental_tail_replace_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] %}
    {%- set source = arg_dict['temp_relation'] %}
    {%- set person = arg_dict['unique_key'] %}
    {%- set tail = config.get('tail_column') %}
    {%- set marker = config.get('marker_column') %}
    {%- if not (person and tail and marker) %}
        {{ exceptions.raise_compiler_error("tail_replace needs unique_key, tail_column and marker_column "
            ~ "(use incremental_by_tail_config)") }}
    {%- endif %}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) %}
    delete from {{ target }} as stored
    using (
        select {{ person }}, {{ tail }} as tail_start
        from {{ source }}
        where {{ marker }} is null
    ) as starts
    where
        stored.{{ person }} = starts.{{ person }}
        and (starts.tail_start is null or stored.{{ tail }} >= starts.tail_start);

    insert into {{ target }} ({{ columns }})
    select {{ columns }}
    from {{ source }}
    where {{ marker }} is not null
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

{#- Aggregate: a person's start from several triggers, the earliest one, but NULL (the
    whole history) when any trigger is NULL (min() alone would skip it). -#}
{% macro earliest_tail_start(start_column) %}
    case when count(*) = count({{ start_column }}) then min({{ start_column }}) end
{%- endmacro %}

{#- True for a row at or after its person's tail start (`starts` joined on): all rows of
    a person recomputed whole (NULL start). -#}
{% macro in_tail(column, start_column) %}
    (({{ start_column }}) is null or ({{ column }}) >= ({{ start_column }}))
{%- endmacro %}

{#- Appended to the final select of a tail-kept model: one start row per recomputed
    person of `starts_cte`, with `start_column` (NULL: the whole history) as the model's
    tail column and NULL in every other column. tail_replace deletes the person's stored
    rows from there on. -#}
{% macro tail_start_rows(starts_cte, start_column, tail_column, person_column='person_id') %}
    union all by name
    select
        {{ person_column }},
        {{ start_column }} as {{ tail_column }}
    from {{ starts_cte }}
{%- endmacro %}
