{#- Incremental daily runs of the event-grain models (see DECISIONS.md, Incremental runs).
    Each run reprocesses a lookback window: every day from (latest stored day - var
    `late_arrival_days`) on, so events that arrive up to that many days late are picked
    up and a re-run replaces rather than adds. -#}

{#- var late_arrival_days, validated: days before the latest stored day that each run reprocesses. -#}
{% macro late_arrival_days() %}
    {%- set days = var('late_arrival_days', 3) -%}
    {%- if days is not number or days != days | int or days < 0 -%}
        {{ exceptions.raise_compiler_error(
            "late_arrival_days must be a whole number of days >= 0, got '" ~ days ~ "'") }}
    {%- endif -%}
    {{ return(days | int) }}
{% endmacro %}

{#- The largest stored value of `expression` among the rows of {{ this }} matching
    `stored_filter`, read once per run; None on a full build or when nothing is stored. -#}
{% macro incremental_stored_max(expression, stored_filter='1 = 1') %}
    {%- if not execute or this is none or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(run_query(
        'select max(' ~ expression ~ ') from ' ~ this ~ ' where ' ~ stored_filter
    ).columns[0].values()[0]) }}
{% endmacro %}

{#- First day of this run's window as a 'YYYY-MM-DD' string: the latest stored day of
    `day_expression` (rows matching `stored_filter`) minus late_arrival_days. None on a
    full build or when nothing is stored yet (then the whole history is processed). A
    constant, so the engine can prune partitions with it. -#}
{% macro incremental_window_start(day_expression, stored_filter='1 = 1') %}
    {%- set latest = incremental_stored_max(day_expression, stored_filter) -%}
    {%- if latest is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if latest is string -%}
        {%- set latest = modules.datetime.date.fromisoformat(latest[:10]) -%}
    {%- endif -%}
    {%- set start = latest - modules.datetime.timedelta(days=late_arrival_days()) -%}
    {{ return(start.strftime('%Y-%m-%d')) }}
{% endmacro %}

{#- True for rows stamped (processed_at) after `since`, a model's last stored stamp: the
    rows a run upstream added or recomputed since this model's last run. -#}
{% macro stamped_after(since) %}
    processed_at > cast('{{ since }}' as {{ dbt.type_timestamp() }})
{% endmacro %}

{#- This run's start as a timestamp literal: stamps the rows a run (re)computes, so a
    model downstream reprocesses exactly those (rows with a later stamp than it stored). -#}
{% macro run_stamp() %}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{% endmacro %}

{#- Config of a model kept incrementally by whole days (partition_date): DuckDB deletes and
    re-inserts the days a run produces; Spark overwrites those partitions (parquet has no
    DELETE; dynamic partition overwrite is set in the profile). -#}
{% macro incremental_by_day_config() %}
    {{ return(adapter.dispatch('incremental_by_day_config', 'customer_lifecycle')()) }}
{% endmacro %}

{% macro default__incremental_by_day_config() %}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'delete+insert',
               'unique_key': 'partition_date', 'on_schema_change': 'fail'}) }}
{% endmacro %}

{% macro spark__incremental_by_day_config() %}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'insert_overwrite',
               'partition_by': ['partition_date'], 'file_format': 'parquet',
               'on_schema_change': 'fail'}) }}
{% endmacro %}

{#- The day of a timestamp as stored in `partition_date`; rows without a timestamp (only
    rejects) go to 1970-01-01, a day every run reprocesses. -#}
{% macro partition_day(timestamp_expression) %}
    coalesce(cast(({{ timestamp_expression }}) as date), cast('1970-01-01' as date))
{% endmacro %}

{#- Config of a person-grain model kept incrementally by whole people: a run recomputes
    every row of each changed person. The run also writes one marker row per recomputed
    person (person_markers: NULL `marker_column`, never NULL in real rows), so a person
    left with no rows loses the stored ones too. DuckDB: the strategy tail_replace with
    the marker column as the tail column, so every marker is a NULL start, which deletes
    all of the person's stored rows; the markers are never inserted. Spark: a full
    rebuild. -#}
{% macro incremental_by_person_config(marker_column, key_column='person_id') %}
    {{ return(incremental_by_tail_config(key_column, marker_column, marker_column)) }}
{% endmacro %}

{#- The people an incremental run of a person-grain model recomputes: those with rows in
    `parent` stamped (processed_at) after `since`, the model's last stored stamp, and
    stored people `parent` no longer has (a visitor stitched to a customer). key_column
    names the person (NULLs, as in customer_id, are never people). `also_restamped`: a
    further upstream model whose restamped people count too (a tail-kept parent can drop
    a person's row without restamping any of theirs; its own parent still restamps). -#}
{% macro people_to_recompute(parent, since, key_column='person_id', also_restamped=none) %}
    select {{ key_column }}
    from {{ parent }}
    where {{ stamped_after(since) }} and {{ key_column }} is not null
    union
    {{ people_gone_from(parent, key_column) }}
    {%- if also_restamped is not none %}
    union
    select {{ key_column }}
    from {{ also_restamped }}
    where {{ stamped_after(since) }} and {{ key_column }} is not null
    {%- endif %}
{% endmacro %}

{#- The people stored in {{ this }} whose rows `parent` no longer has. Distinct people on
    both sides first: 3.5x faster at 20M events than probing every stored row.
    `stored_where`: which stored rows come from `parent` (a table that also holds rows
    from elsewhere would otherwise see those people as gone on every run). -#}
{% macro people_gone_from(parent, key_column='person_id', stored_where='1 = 1') %}
    select stored_people.{{ key_column }}
    from (select distinct {{ key_column }} from {{ this }} where {{ stored_where }}) as stored_people
    where stored_people.{{ key_column }} not in (
        select distinct {{ key_column }} from {{ parent }}
        where {{ key_column }} is not null
    )
{%- endmacro %}

{#- The opening CTEs of a person-grain incremental model: `changed_people` (incremental
    runs only: people_to_recompute) and `rows_cte`, the parent's rows of those people (all
    rows on a full build). Ends with a comma; the model's own CTEs follow. -#}
{% macro recomputed_people_ctes(parent, since, rows_cte, also_restamped=none) %}
{%- if since %}
changed_people as (

    {{ people_to_recompute(parent, since, also_restamped=also_restamped) }}

),
{%- endif %}

{{ rows_cte }} as (

    select * from {{ parent }}
    {%- if since %}
    where person_id in (select changed_people.person_id from changed_people)
    {%- endif %}

),
{%- endmacro %}

{#- Appended to a person-grain model's final select on incremental runs: one row per
    recomputed person with every other column NULL (DuckDB's UNION ALL BY NAME; Spark never
    runs incrementally here). tail_replace then replaces each such person whole
    (incremental_by_person_config). -#}
{% macro person_markers(people_cte, key_column='person_id') %}
    union all by name
    select {{ key_column }} from {{ people_cte }}
{% endmacro %}

{#- The people whose rows differ between `current` and `stored` (CTE names), compared on
    `columns` (the key first): rows only in one of them, either way. For inputs that carry
    no run stamp (orders), a set difference is how a run finds what changed. `returned`:
    the columns of those rows to return (default: the key). -#}
{% macro keys_with_changed_rows(current, stored, columns, returned=none) %}
    {%- set compared = columns | join(', ') -%}
    {%- set returned = returned or columns[0] -%}
    select {{ returned }} from (
        select {{ compared }} from {{ current }}
        except
        select {{ compared }} from {{ stored }}
    ) as added_rows
    union
    select {{ returned }} from (
        select {{ compared }} from {{ stored }}
        except
        select {{ compared }} from {{ current }}
    ) as removed_rows
{%- endmacro %}
