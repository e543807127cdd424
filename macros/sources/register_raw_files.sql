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

{#- PostgreSQL reads no files: its raw data are tables (warehouse mode). -#}
{% macro postgres__register_raw_files() %}
    {%- if execute and not var('raw_schema', none) -%}
        {{ exceptions.raise_compiler_error(
            "On PostgreSQL set raw_schema (the schema of the raw orders, events and customers "
            ~ "tables): file mode (raw_data_dir) runs on DuckDB and Spark only.") }}
    {%- endif -%}
    {{ return('select 1 as nothing_to_register') }}
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
    {%- do check_raw_dir_has_no_glob_characters(raw_dir) -%}
    {% do run_query('create schema if not exists raw_files') %}
    {%- for table_name, columns in raw_contract().items() -%}
        {%- set found = raw_file_source(raw_dir, table_name) -%}
        {%- if found is none and table_name == 'orders' -%}
            {{ exceptions.raise_compiler_error(
                "No orders data in raw_data_dir '" ~ raw_dir ~ "': expected orders.csv, "
                ~ "orders.csv.gz, orders.parquet, or a folder orders/ of such files.") }}
        {%- endif -%}
        {%- set reader = none if found is none else duckdb_raw_reader(found.format, sql_string_literal(found.pattern)) -%}
        {%- set present = {} -%}
        {%- set rejected_lines = none -%}
        {%- if reader is not none -%}
            {%- set has_rows = run_query('select count(*) from (select 1 from ' ~ reader ~ ' limit 1) as probe')
                .columns[0].values()[0] > 0 -%}
            {%- if has_rows -%}
                {%- set described = run_query('describe select * from ' ~ reader) -%}
                {%- set present = matched_raw_columns(table_name, described.columns[0].values() | list, raw_dir ~ '/' ~ table_name) -%}
                {%- if found.format == 'csv' -%}
                    {%- set rejected_lines = register_rejected_csv_lines(table_name, found.pattern) -%}
                {%- endif -%}
            {%- elif table_name == 'orders' -%}
                {%- do exceptions.warn("raw_data_dir has an orders file with no rows: every mart builds empty.") -%}
            {%- endif -%}
        {%- endif -%}
        {% do run_query(raw_text_view_sql(table_name, columns, present, reader if present else none, rejected_lines)) %}
        {% do log("raw_files." ~ table_name ~ " <- " ~ (found.pattern if found else "(no file: empty)"), info=true) %}
    {%- endfor -%}
    {{ return('select 1 as raw_files_registered') }}
{% endmacro %}

{#- Both engines search the folder with glob patterns, in which * ? [ ] { } match other
    names: a folder holding one stops with a clear error rather than finding no files. -#}
{% macro check_raw_dir_has_no_glob_characters(raw_dir) %}
    {%- for character in ['*', '?', '[', ']', '{', '}'] if character in raw_dir -%}
        {{ exceptions.raise_compiler_error(
            "raw_data_dir '" ~ raw_dir ~ "' holds the glob character '" ~ character ~ "', which the file "
            ~ "search would read as a pattern: rename the folder or point a symbolic link at it.") }}
    {%- endfor -%}
{% endmacro %}

{#- Where one raw table's files are in a folder: {format, pattern} of the first layout
    that matches, or none. -#}
{% macro raw_file_source(raw_dir, table_name) %}
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
            {{ return({'format': file_format, 'pattern': pattern}) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{% endmacro %}

{#- The DuckDB table function reading raw files (path_literal: a quoted file or glob).
    CSV is read as the contract says (comma-separated, double quotes, a header row, UTF-8),
    not sniffed: one ragged row must not make the sniffer read the file as one column.
    Lines that do not parse are skipped here and kept by register_rejected_csv_lines. -#}
{% macro duckdb_raw_reader(file_format, path_literal, encoding='utf-8', rejects=false) %}
    {%- if file_format == 'parquet' -%}
        {{ return("read_parquet(" ~ path_literal ~ ", union_by_name = true)") }}
    {%- endif -%}
    {{ return("read_csv(" ~ path_literal ~ ", header = true, all_varchar = true, "
        ~ "delim = ',', quote = '\"', escape = '\"', encoding = " ~ sql_string_literal(encoding) ~ ", ignore_errors = true, "
        ~ ("store_rejects = true, rejects_table = 'raw_lines_rejected', rejects_scan = 'raw_scans_rejected'"
           if rejects else "union_by_name = true") ~ ")") }}
{% endmacro %}

{#- DuckDB, CSV: the lines of one raw table's files that the view's reader skips, as
    table raw_files.<table>__rejected_lines with the contract's columns, raw_line_problem
    and raw_line. Each file is scanned once as Latin-1 (every byte sequence is Latin-1, so
    nothing fails to decode) with the reader's rejects store on:
      malformed_row - a line the CSV reader rejects (too many or too few fields, an
                      unterminated quote); raw_line is its text;
      bad_encoding  - a line that parses but whose contract columns are not valid UTF-8
                      (the view's reader skips such a line when staging reads those
                      columns); its fields are kept (as UTF-8 where a field is valid,
                      else as read in Latin-1).
    Emails are stored only as their keyed hash: the email column of a bad_encoding row,
    and any comma-separated piece of a malformed line holding an '@'. The reader's store
    can hold one line several times (once per reading thread): kept once by its byte
    position. Returns the table. -#}
{% macro register_rejected_csv_lines(table_name, pattern) %}
    {%- set columns = raw_contract()[table_name] -%}
    {%- set target = 'raw_files.' ~ table_name ~ '__rejected_lines' -%}
    {%- set files = run_query("select file from glob(" ~ sql_string_literal(pattern) ~ ") order by file").columns[0].values() -%}
    {% do run_query("create or replace table " ~ target ~ " ("
        ~ (columns | join(' varchar, ')) ~ " varchar, raw_line_problem varchar, raw_line varchar)") %}
    {%- for file in files -%}
        {%- set reader = duckdb_raw_reader('csv', sql_string_literal(file), encoding='latin-1', rejects=true) -%}
        {%- set file_columns = run_query('describe select * from ' ~ reader).columns[0].values() | list -%}
        {%- set present = matched_raw_columns(table_name, file_columns, file) -%}
        {%- set quoted = [] -%}
        {%- for column in columns if column in present -%}{%- do quoted.append(adapter.quote(present[column])) -%}{%- endfor -%}
        {%- set insert_sql -%}
            insert into {{ target }}
            select
            {%- for column in columns %}
                {%- if column in present and column in raw_pii_columns() %}
                {{ email_hash(latin1_text_as_utf8(adapter.quote(present[column]))) }},
                {%- elif column in present %}
                {{ latin1_text_as_utf8(adapter.quote(present[column])) }},
                {%- else %}
                null,
                {%- endif %}
            {%- endfor %}
                'bad_encoding',
                null
            from {{ reader }}
            where not {{ latin1_text_is_utf8("concat_ws('', " ~ (quoted | join(', ')) ~ ")") }}
        {%- endset -%}
        {% do run_query(insert_sql) %}
        {% do run_query("insert into " ~ target ~ " select "
            ~ ("null, " * (columns | length)) ~ "'malformed_row', "
            ~ emails_hashed_in_line(latin1_text_as_utf8('csv_line'))
            ~ " from (select distinct byte_position, csv_line from raw_lines_rejected) as rejected"
            ~ " order by byte_position") %}
        {% do run_query("drop table raw_lines_rejected; drop table raw_scans_rejected") %}
    {%- endfor -%}
    {{ return(target) }}
{% endmacro %}

{#- DuckDB: whether text read as Latin-1 (one character per byte) holds valid UTF-8 bytes. -#}
{% macro latin1_text_is_utf8(expression) %}
    regexp_matches(({{ expression }}), '^([\x00-\x7F]|[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3})*$')
{% endmacro %}

{#- DuckDB: text read as Latin-1 turned back into the UTF-8 it was, where its bytes are
    valid UTF-8; else as it is. Row by row: meant for the few rejected lines only. -#}
{% macro latin1_text_as_utf8(expression) %}
    coalesce(try(decode(unhex(array_to_string(list_transform(string_split(({{ expression }}), ''),
        byte_char -> printf('%02X', unicode(byte_char))), '')))), ({{ expression }}))
{% endmacro %}

{#- Spark: SQL cannot look at the file system, so the layout is fixed: per table the
    files matching <dir>/<table>.csv* (csv and csv.gz, header row) or, with var
    `raw_file_format: parquet`, <dir>/<table>.parquet. Everything is a global temporary
    view (database global_temp), so it lives only as long as the dbt invocation and no
    raw value (no email) is readable in the metastore: `<table>__files` reads the files,
    `<table>` has the contract's columns as text. CSV is read with the file's header names
    as its schema and PERMISSIVE mode: a line with a field too many or too few comes as
    its text alone (raw_line_problem malformed_row); one whose bytes are not UTF-8 (Spark
    reads them as U+FFFD) is bad_encoding. Optional tables switched off with using_events /
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
    {%- do check_raw_dir_has_no_glob_characters(raw_dir) -%}
    {%- if not raw_dir.startswith('/') and ':' not in raw_dir -%}
        {%- set raw_dir = env_var('DBT_PROJECT_ROOT', '.') ~ '/' ~ raw_dir -%}
    {%- endif -%}
    {%- set file_format = var('raw_file_format', 'csv') -%}
    {%- if file_format not in ['csv', 'parquet'] -%}
        {{ exceptions.raise_compiler_error("raw_file_format must be csv or parquet, got '" ~ file_format ~ "'") }}
    {%- endif -%}
    {%- for table_name, columns in raw_contract().items() -%}
        {%- set enabled = table_name == 'orders' or var('using_' ~ table_name, true) -%}
        {%- set present = {} -%}
        {%- set files_view = 'global_temp.' ~ table_name ~ '__files' -%}
        {%- if enabled -%}
            {%- set pattern = raw_dir ~ '/' ~ table_name ~ ('.csv*' if file_format == 'csv' else '.parquet') -%}
            {%- set options = "options (path " ~ sql_string_literal(pattern)
                ~ (", header 'true', inferSchema 'false'" if file_format == 'csv' else '') -%}
            {% do run_query("create or replace global temporary view " ~ table_name ~ "__files using "
                ~ file_format ~ " " ~ options ~ ")") %}
            {%- set file_columns = run_query('describe ' ~ files_view).columns[0].values() | list -%}
            {%- set present = matched_raw_columns(table_name, file_columns, pattern) -%}
            {%- if file_format == 'csv' -%}
                {#- the header's names as the schema (positions), plus the corrupt-record column -#}
                {%- set schema = [] -%}
                {%- for name in file_columns -%}{%- do schema.append(adapter.quote(name) ~ ' string') -%}{%- endfor -%}
                {% do run_query("create or replace global temporary view " ~ table_name ~ "__files ("
                    ~ (schema | join(', ')) ~ ", _raw_corrupt_line string) using csv " ~ options
                    ~ ", mode 'PERMISSIVE', columnNameOfCorruptRecord '_raw_corrupt_line')") %}
            {%- endif -%}
        {%- endif -%}
        {% do run_query(spark_raw_text_view_sql(table_name, columns, present,
                                                files_view if enabled else none,
                                                file_format == 'csv')) %}
        {% do log("global_temp." ~ table_name ~ " <- " ~ (pattern if enabled else "(switched off: empty)"), info=true) %}
    {%- endfor -%}
    {{ return('select 1 as raw_files_registered') }}
{% endmacro %}

{#- Spark: the all-text global temporary view <table_name> over from_relation (none:
    empty), as raw_text_view_sql on DuckDB: emails only as their keyed hash (a temporary
    view's text is not stored in the metastore, so the key stays in the session). With
    has_corrupt_line, a malformed line has only raw_line (its text, emails hashed); a
    parsed line whose contract fields hold U+FFFD (what Spark reads for bytes that are not
    UTF-8) is bad_encoding. -#}
{% macro spark_raw_text_view_sql(table_name, columns, present, from_relation, has_corrupt_line) %}
    {%- set read = [] -%}
    {%- for column in columns if column in present -%}{%- do read.append(adapter.quote(present[column])) -%}{%- endfor -%}
    create or replace global temporary view {{ table_name }} as
    select
    {%- for column in columns %}
        {%- set value = "cast(" ~ adapter.quote(present[column]) ~ " as string)" if column in present else none %}
        {%- set value = email_hash(value) if value and column in raw_pii_columns() else value %}
        {%- if value and has_corrupt_line %}
        case when _raw_corrupt_line is null then {{ value }} end as {{ column }},
        {%- elif value %}
        {{ value }} as {{ column }},
        {%- else %}
        cast(null as string) as {{ column }},
        {%- endif %}
    {%- endfor %}
    {%- if has_corrupt_line %}
        case
            when _raw_corrupt_line is not null then 'malformed_row'
            when instr(concat_ws('', {{ read | join(', ') }}), '\uFFFD') > 0 then 'bad_encoding'
        end as raw_line_problem,
        {{ emails_hashed_in_line('_raw_corrupt_line') }} as raw_line
    {%- else %}
        cast(null as string) as raw_line_problem,
        cast(null as string) as raw_line
    {%- endif %}
    {%- if from_relation is none %}
    where 1 = 0
    {%- else %}
    from {{ from_relation }}
    {%- endif %}
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
    from_relation is none. Two more columns tell rows the file reader could not parse:
    raw_line_problem (NULL for a parsed row) and raw_line (the line's text); those rows
    come from rejected_lines (a table built by register_rejected_csv_lines), if any. -#}
{% macro raw_text_view_sql(table_name, columns, present, from_relation, rejected_lines=none) %}
    create or replace view raw_files.{{ table_name }} as
    select
    {%- for column in columns %}
        {%- if column in present and column in raw_pii_columns() %}
        {{ email_hash(adapter.quote(present[column])) }} as {{ column }},
        {%- elif column in present %}
        cast({{ adapter.quote(present[column]) }} as {{ dbt.type_string() }}) as {{ column }},
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as {{ column }},
        {%- endif %}
    {%- endfor %}
        cast(null as {{ dbt.type_string() }}) as raw_line_problem,
        cast(null as {{ dbt.type_string() }}) as raw_line
    {%- if from_relation is none %}
    where 1 = 0
    {%- else %}
    from {{ from_relation }}
    {%- endif %}
    {%- if rejected_lines is not none %}
    union all
    select {{ (columns + ['raw_line_problem', 'raw_line']) | join(', ') }}
    from {{ rejected_lines }}
    {%- endif %}
{% endmacro %}
