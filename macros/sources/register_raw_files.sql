{#- on-run-start hook, file mode. Registers the raw files under `raw_data_dir` as views
    `raw_files.orders|events|customers` with exactly the contract's columns, all text,
    so that staging parses and validates every value itself (a bad value becomes a
    rejected row, never a failed read). For each table it takes the first of:
        <dir>/<table>.parquet, <dir>/<table>/**/*.parquet,
        <dir>/<table>.csv, <dir>/<table>.csv.gz, <dir>/<table>/**/*.csv(.gz)
    A missing optional table (events, customers) becomes an empty view; a missing
    orders table is an error. Does nothing in warehouse mode (`raw_schema` set). -#}
{% macro register_raw_files() %}
    {{ return(adapter.dispatch('register_raw_files', 'customer_lifecycle')()) }}
{% endmacro %}

{% macro default__register_raw_files() %}
    {%- if not execute or var('raw_schema', none) -%}
        {{ return('select 1 as nothing_to_register') }}
    {%- endif -%}
    {%- set raw_dir = var('raw_data_dir', none) -%}
    {%- if not raw_dir -%}
        {{ exceptions.raise_compiler_error(
            "Set either raw_data_dir (a folder of files) or raw_schema (warehouse tables).") }}
    {%- endif -%}
    {%- set raw_dir = raw_dir.rstrip('/') -%}
    {% do run_query('create schema if not exists raw_files') %}
    {%- for table_name, columns in raw_contract().items() -%}
        {%- set reader = raw_file_reader(raw_dir, table_name) -%}
        {%- if reader is none and table_name == 'orders' -%}
            {{ exceptions.raise_compiler_error(
                "No orders data in raw_data_dir '" ~ raw_dir ~ "': expected orders.csv, "
                ~ "orders.csv.gz, orders.parquet, or a folder orders/ of such files.") }}
        {%- endif -%}
        {%- set present = {} -%}
        {%- if reader is not none -%}
            {%- set has_rows = run_query('select count(*) from (select 1 from ' ~ reader ~ ' limit 1) as probe')
                .columns[0].values()[0] > 0 -%}
            {%- if has_rows -%}
                {%- set described = run_query('describe select * from ' ~ reader) -%}
                {%- set present = matched_raw_columns(table_name, described.columns[0].values() | list, raw_dir ~ '/' ~ table_name) -%}
            {%- elif table_name == 'orders' -%}
                {%- do exceptions.warn("raw_data_dir has an orders file with no rows: every mart builds empty.") -%}
            {%- endif -%}
        {%- endif -%}
        {% do run_query(raw_text_view_sql(table_name, columns, present, reader if present else none)) %}
        {% do log("raw_files." ~ table_name ~ " <- " ~ (reader or "(no file: empty)"), info=true) %}
    {%- endfor -%}
    {{ return('select 1 as raw_files_registered') }}
{% endmacro %}

{#- The DuckDB table function that reads one raw table from a folder, or none. -#}
{% macro raw_file_reader(raw_dir, table_name) %}
    {%- set candidates = [
        ('parquet', raw_dir ~ '/' ~ table_name ~ '.parquet'),
        ('parquet', raw_dir ~ '/' ~ table_name ~ '/**/*.parquet'),
        ('csv', raw_dir ~ '/' ~ table_name ~ '.csv'),
        ('csv', raw_dir ~ '/' ~ table_name ~ '.csv.gz'),
        ('csv', raw_dir ~ '/' ~ table_name ~ '/**/*.csv'),
        ('csv', raw_dir ~ '/' ~ table_name ~ '/**/*.csv.gz'),
    ] -%}
    {%- for file_format, pattern in candidates -%}
        {%- set found = run_query("select count(*) from glob(" ~ sql_string_literal(pattern) ~ ")").columns[0].values()[0] -%}
        {%- if found > 0 -%}
            {%- if file_format == 'parquet' -%}
                {{ return("read_parquet(" ~ sql_string_literal(pattern) ~ ", union_by_name = true)") }}
            {%- else -%}
                {{ return("read_csv(" ~ sql_string_literal(pattern) ~ ", header = true, all_varchar = true, "
                    ~ "union_by_name = true, auto_detect = true)") }}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{% endmacro %}

{#- Spark: SQL cannot look at the file system, so the layout is fixed: per table the
    files matching <dir>/<table>.csv* (csv and csv.gz, header row) or, with var
    `raw_file_format: parquet`, <dir>/<table>.parquet. Each becomes an external table
    `raw_files.<table>__files` (dropping it never deletes files) under a view with the
    contract's columns as text. Optional tables switched off with using_events /
    using_customers become empty views. Folders of daily drops: use warehouse mode. -#}
{% macro spark__register_raw_files() %}
    {%- if not execute or var('raw_schema', none) -%}
        {{ return('select 1 as nothing_to_register') }}
    {%- endif -%}
    {%- set raw_dir = (var('raw_data_dir', none) or '').rstrip('/') -%}
    {%- if not raw_dir -%}
        {{ exceptions.raise_compiler_error(
            "Set either raw_data_dir (a folder of files) or raw_schema (warehouse tables).") }}
    {%- endif -%}
    {%- if not raw_dir.startswith('/') and ':' not in raw_dir -%}
        {%- set raw_dir = env_var('DBT_PROJECT_ROOT', '.') ~ '/' ~ raw_dir -%}
    {%- endif -%}
    {%- set file_format = var('raw_file_format', 'csv') -%}
    {%- if file_format not in ['csv', 'parquet'] -%}
        {{ exceptions.raise_compiler_error("raw_file_format must be csv or parquet, got '" ~ file_format ~ "'") }}
    {%- endif -%}
    {% do run_query('create database if not exists raw_files') %}
    {%- for table_name, columns in raw_contract().items() -%}
        {%- set enabled = table_name == 'orders' or var('using_' ~ table_name, true) -%}
        {%- set present = {} -%}
        {% do run_query('drop table if exists raw_files.' ~ table_name ~ '__files') %}
        {%- if enabled -%}
            {%- set pattern = raw_dir ~ '/' ~ table_name ~ ('.csv*' if file_format == 'csv' else '.parquet') -%}
            {% do run_query(
                "create table raw_files." ~ table_name ~ "__files using " ~ file_format
                ~ " options (path " ~ sql_string_literal(pattern)
                ~ (", header 'true', inferSchema 'false'" if file_format == 'csv' else '') ~ ")") %}
            {%- set described = run_query('describe raw_files.' ~ table_name ~ '__files') -%}
            {%- set present = matched_raw_columns(table_name, described.columns[0].values() | list, pattern) -%}
        {%- endif -%}
        {% do run_query(raw_text_view_sql(table_name, columns, present,
                                          'raw_files.' ~ table_name ~ '__files' if enabled else none)) %}
        {% do log("raw_files." ~ table_name ~ " <- " ~ (pattern if enabled else "(switched off: empty)"), info=true) %}
    {%- endfor -%}
    {{ return('select 1 as raw_files_registered') }}
{% endmacro %}

{#- The file's own name of each contract column, matched trimmed and case-insensitively
    (a header `CUSTOMER_ID` or ` amount` is the contract's column). A column the file lacks
    is left out (a typed NULL in the view); a required one stops the build with an error
    naming the table, the file and the column. Only names are printed, never values. -#}
{% macro matched_raw_columns(table_name, file_columns, file_label) %}
    {%- set by_name = {} -%}
    {%- for name in file_columns -%}
        {%- set key = name | string | trim | lower -%}
        {%- if key not in by_name -%}
            {%- do by_name.update({key: name}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set matched = {} -%}
    {%- for column in raw_contract()[table_name] if column in by_name -%}
        {%- do matched.update({column: by_name[column]}) -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for column in raw_required_columns()[table_name] if column not in matched -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- if table_name == 'events' and 'anonymous_id' not in matched and 'customer_id' not in matched -%}
        {%- do missing.append('anonymous_id or customer_id') -%}
    {%- endif -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            "Raw table " ~ table_name ~ " (" ~ file_label ~ ") has no column " ~ (missing | join(', '))
            ~ ". Required columns: " ~ (raw_required_columns()[table_name] | join(', '))
            ~ "; the file's header names: " ~ (file_columns | join(', '))) }}
    {%- endif -%}
    {{ return(matched) }}
{% endmacro %}

{#- The all-text view raw_files.<table_name> with the contract's columns: those in
    `present` (contract name -> the file's name) cast to text, the others NULL; empty when
    from_relation is none. -#}
{% macro raw_text_view_sql(table_name, columns, present, from_relation) %}
    create or replace view raw_files.{{ table_name }} as
    select
    {%- for column in columns %}
        {%- if column in present and column in raw_pii_columns() and raw_views_hash_pii() %}
        {{ email_hash(adapter.quote(present[column])) }} as {{ column }}
        {%- elif column in present %}
        cast({{ adapter.quote(present[column]) }} as {{ dbt.type_string() }}) as {{ column }}
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as {{ column }}
        {%- endif %}{{ "," if not loop.last }}
    {%- endfor %}
    {%- if from_relation is none %}
    where 1 = 0
    {%- else %}
    from {{ from_relation }}
    {%- endif %}
{% endmacro %}
