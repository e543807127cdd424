{#- The incremental contract of the person-grain models (DECISIONS.md, Incremental runs:
    the change log). int_person_stream_changes lists, run by run, the people whose stream
    changed and from when; a person-grain model recomputes the people the log listed
    after its own latest stored run (processed_at) and replaces their stored rows. All
    of it is SQL evaluated at run time (no query at compile time), so the incremental
    branch is unit-testable with a `this` fixture. -#}

{#- The latest run stamp stored in {{ this }} before this run: the point up to which the
    model has consumed the change log. A timestamp expression; 1900-01-01 when empty. -#}
{% macro last_consumed_run() -%}
(
    select coalesce(max(consumed.processed_at), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
    from {{ this }} as consumed
    where consumed.processed_at < {{ run_stamp() | trim }}
)
{%- endmacro %}

{#- The people a person-grain model recomputes on an incremental run: those the change log
    listed after the model's latest stored run (gone people included: they get no rows,
    and replace_changed_people deletes their stored ones). -#}
{% macro changed_people_since_last_run(key_column='person_id') %}
    select distinct changes.person_id as {{ key_column }}
    from {{ ref('int_person_stream_changes') }} as changes
    where changes.processed_at > {{ last_consumed_run() }}
{% endmacro %}

{#- The same people, each with the earliest time their stream changed from in those runs
    (recompute_from; NULL: the whole history, when any entry says so), for a model that
    keeps a person's rows before that time. -#}
{% macro changes_since_last_run() -%}
select
    changes.person_id,
    {{ earliest_tail_start('changes.recompute_from') | trim }} as recompute_from
from {{ ref('int_person_stream_changes') }} as changes
where changes.processed_at > {{ last_consumed_run() | trim | indent(4) }}
group by changes.person_id
{%- endmacro %}

{#- For a model kept by day (int_customer_events_daily): per person the change log listed
    since the model's latest run, from_date, the day of their change time (NULL: all days).
    The days before it hold no changed event. -#}
{% macro days_to_recompute() -%}
select
    changes.person_id,
    cast(changes.recompute_from as date) as from_date
from (
    {{ changes_since_last_run() | indent(4) }}
) as changes
{%- endmacro %}

{#- For a model kept by session (int_sessions, int_session_event_sequence; incremental
    runs): the sessions of the people the change log listed since its latest run that
    must be recomputed: those of `sessionized` (the parent) with an event at or after the
    person's change time, and the stored ones whose `stored_time_column` (the session's
    end, or an event's time) is then or later (an event may have left them). NULL change
    time: all of the person's sessions. -#}
{% macro sessions_changed_since_last_run(sessionized, stored_time_column='ended_at') -%}
select distinct candidates.session_id
from (
    select
        person_id,
        session_id,
        occurred_at as reached_at
    from {{ sessionized }}
    union all
    select
        person_id,
        session_id,
        {{ stored_time_column }} as reached_at
    from {{ this }}
) as candidates
inner join (
    {{ changes_since_last_run() | indent(4) }}
) as changes
    on
        candidates.person_id = changes.person_id
        and {{ in_tail('candidates.reached_at', 'changes.recompute_from') }}
{%- endmacro %}

{#- Post-hook of a model kept by session (incremental runs): delete the stored sessions,
    from earlier runs, that this run recomputed or that sessions_changed_since_last_run
    named (a session with no event left is only deleted). -#}
{% macro replace_changed_sessions(sessionized, stored_time_column='ended_at') %}
    {%- if is_incremental() %}
    {%- set sessions %}
select recomputed.session_id from {{ this }} as recomputed where recomputed.processed_at = {{ run_stamp() }}
union
{{ sessions_changed_since_last_run(sessionized, stored_time_column) }}
    {%- endset %}
    {{ delete_matching(this, sessions,
        'stored.session_id = changed.session_id and stored.processed_at < ' ~ run_stamp()) }}
    {%- endif %}
{% endmacro %}

{#- The opening CTEs of a person-grain model on the change log: `changed_people`
    (incremental runs only: changed_people_since_last_run) and `rows_cte`, the parent's
    rows of those people (all rows on a full build). Ends with a comma. `key_column`: the
    parent's person column (customer_id: a customer's person id is their customer id).
    The model names the log in a `-- depends_on:` comment, since dbt sees no ref in a
    branch it does not render at parse time. -#}
{% macro changed_people_ctes(parent, rows_cte, key_column='person_id') %}
{%- if is_incremental() %}
changed_people as (

    {{ changed_people_since_last_run(key_column) }}

),
{%- endif %}

{{ rows_cte }} as (

    select * from {{ parent }}
    {%- if is_incremental() %}
    where {{ key_column }} in (select changed_people.{{ key_column }} from changed_people)
    {%- endif %}

),
{%- endmacro %}

{#- Post-hook of a person-grain model (incremental runs): delete the stored rows, from
    earlier runs, of the people this run recomputed. Runs in the model's transaction,
    after the append, so a killed run leaves the table as it was. -#}
{% macro replace_changed_people(key_column='person_id') %}
    {%- if is_incremental() %}
    {{ delete_matching(this, changed_people_since_last_run(key_column),
        'stored.' ~ key_column ~ ' = changed.' ~ key_column ~ ' and stored.processed_at < ' ~ run_stamp()) }}
    {%- endif %}
{% endmacro %}

{#- Post-hook of a model that keeps each person's rows before a time (incremental runs):
    delete the stored rows, from earlier runs, of the people in `changes` (a query of
    person_id and `from_column`) whose `column` is at or after their `from_column` value
    (all of them when it is NULL). The model recomputed exactly those rows. `key_column`:
    the model's person column (customer_id: a customer's person id is their customer id). -#}
{% macro replace_changed_people_from(column, changes, from_column, key_column='person_id') %}
    {%- if is_incremental() %}
    {{ delete_matching(this, changes,
        'stored.' ~ key_column ~ ' = changed.person_id and stored.processed_at < ' ~ run_stamp()
        ~ ' and (changed.' ~ from_column ~ ' is null or stored.' ~ column ~ ' >= changed.' ~ from_column ~ ')') }}
    {%- endif %}
{% endmacro %}

{#- Config of a person-grain incremental model (on the change log, or tail-kept upstream
    of it). DuckDB: the built-in append strategy plus the replace post-hooks (default
    replace_changed_people; dbt's delete+insert only deletes keys the new rows have, so a
    person left with no rows, such as a visitor stitched to a customer, would keep stale
    ones). Spark: a full rebuild on parquet (no DELETE); with spark_table_format delta,
    the same append and post-hooks (MERGE ... DELETE, macro delete_matching).
    `replace_hook`: one hook or a list of them, run in order. -#}
{% macro incremental_by_changed_people_config(replace_hook="{{ replace_changed_people() }}") %}
    {%- set hooks = [replace_hook] if replace_hook is string else replace_hook %}
    {{ return(adapter.dispatch('incremental_by_changed_people_config', 'customer_lifecycle')(hooks)) }}
{% endmacro %}

{% macro default__incremental_by_changed_people_config(replace_hook) %}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'append',
               'post_hook': replace_hook, 'on_schema_change': 'fail'}) }}
{% endmacro %}

{% macro spark__incremental_by_changed_people_config(replace_hook) %}
    {%- if spark_table_format() == 'delta' %}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'append', 'file_format': 'delta',
               'post_hook': replace_hook, 'on_schema_change': 'fail'}) }}
    {%- endif %}
    {{ return({'materialized': 'table', 'file_format': 'parquet'}) }}
{% endmacro %}

{#- Config of the change log itself: appended to run by run (built-in append). On Spark
    parquet the models reading it rebuild anyway, so it is a table there; on Delta it
    appends. -#}
{% macro change_log_config() %}
    {{ return(adapter.dispatch('change_log_config', 'customer_lifecycle')()) }}
{% endmacro %}

{% macro default__change_log_config() %}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'append', 'on_schema_change': 'fail'}) }}
{% endmacro %}

{% macro spark__change_log_config() %}
    {%- if spark_table_format() == 'delta' %}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'append', 'file_format': 'delta',
               'on_schema_change': 'fail'}) }}
    {%- endif %}
    {{ return({'materialized': 'table', 'file_format': 'parquet'}) }}
{% endmacro %}

{#- var spark_table_format, validated: the table format of the person-grain models on
    Spark, parquet (default: rebuilt each run) or delta (Databricks: incremental). -#}
{% macro spark_table_format() %}
    {%- set table_format = var('spark_table_format', 'parquet') -%}
    {%- if table_format not in ['parquet', 'delta'] -%}
        {{ exceptions.raise_compiler_error(
            "spark_table_format must be 'parquet' or 'delta', got '" ~ table_format ~ "'") }}
    {%- endif -%}
    {{ return(table_format) }}
{% endmacro %}
