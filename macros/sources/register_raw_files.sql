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
        {%- if reader is none -%}
            {%- set present = [] -%}
        {%- else -%}
            {%- set described = run_query('describe select * from ' ~ reader) -%}
            {%- set present = described.columns[0].values() | list -%}
        {%- endif -%}
        {%- set view_sql -%}
            create or replace view raw_files.{{ table_name }} as
            select
            {%- for column in columns %}
                {%- if column in present %}
                cast("{{ column }}" as varchar) as {{ column }}
                {%- else %}
                cast(null as varchar) as {{ column }}
                {%- endif %}{{ "," if not loop.last }}
            {%- endfor %}
            {%- if reader is none %}
            where 1 = 0
            {%- else %}
            from {{ reader }}
            {%- endif %}
        {%- endset -%}
        {% do run_query(view_sql) %}
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
        {%- set found = run_query("select count(*) from glob('" ~ pattern ~ "')").columns[0].values()[0] -%}
        {%- if found > 0 -%}
            {%- if file_format == 'parquet' -%}
                {{ return("read_parquet('" ~ pattern ~ "', union_by_name = true)") }}
            {%- else -%}
                {{ return("read_csv('" ~ pattern ~ "', header = true, all_varchar = true, "
                    ~ "union_by_name = true, auto_detect = true)") }}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{% endmacro %}
