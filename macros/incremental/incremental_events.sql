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

{#- The first day of an event-time model's lookback window, read at run time from
    {{ this }}: one row, `window_day`, the latest stored `day_column` among the rows
    matching `stored_filter` minus late_arrival_days; NULL when nothing is stored (then
    the whole history is processed). -#}
{% macro lookback_window_start(day_column, stored_filter='1 = 1') -%}
select cast({{ dbt.dateadd('day', -1 * late_arrival_days(), 'max(' ~ day_column ~ ')') | trim }} as date) as window_day
from {{ this }}
where {{ stored_filter }}
{%- endmacro %}

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

{#- The clause that ends an event-time model's select: on Spark `distribute by
    partition_date`, so one task writes each day partition, as one file (without it each
    of the shuffle's tasks writes a file into every day it holds, and every reader opens
    them all); nothing on the other engines, which partition by no column. -#}
{% macro write_each_day_once() %}
    {{ return(adapter.dispatch('write_each_day_once', 'customer_lifecycle')()) }}
{% endmacro %}

{% macro default__write_each_day_once() %}{% endmacro %}

{% macro spark__write_each_day_once() %}
distribute by partition_date
{%- endmacro %}

{#- The day of a timestamp as stored in `partition_date`; rows without a timestamp (only
    rejects) go to 1970-01-01, a day every run reprocesses. -#}
{% macro partition_day(timestamp_expression) %}
    coalesce(cast(({{ timestamp_expression }}) as date), cast('1970-01-01' as date))
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
