{#- The relation a staging model reads for one raw table: the contract's columns and the
    two columns of raw_line_columns() (lines the file reader could not parse; file mode's
    views have them, a warehouse table gets them as NULLs). When the optional table is
    switched off it is empty, so every downstream model still builds (empty). -#}
{% macro raw_table(table_name) %}
    {%- set contract = raw_contract() -%}
    {%- if table_name not in contract -%}
        {{ exceptions.raise_compiler_error(
            "raw_table: unknown raw table '" ~ table_name ~ "'; expected one of "
            ~ (contract.keys() | list | join(', '))) }}
    {%- endif -%}
    {%- set enabled = table_name == 'orders' or var('using_' ~ table_name, true) -%}
    {%- if enabled and not var('raw_schema', none) -%}
        {{ source('raw', table_name) }}
    {%- else -%}
        (
            select
            {%- for column in contract[table_name] %}
                {% if enabled %}{{ column }}{% else %}cast(null as {{ dbt.type_string() }}) as {{ column }}{% endif %},
            {%- endfor %}
            {%- for column in raw_line_columns() %}
                cast(null as {{ dbt.type_string() }}) as {{ column }}{{ "," if not loop.last }}
            {%- endfor %}
            {%- if enabled %}
            from {{ source('raw', table_name) }}
            {%- else %}
            where 1 = 0
            {%- endif %}
        ) as raw_{{ table_name }}
    {%- endif -%}
{% endmacro %}

{#- The columns file mode adds to each raw table for a line the reader could not parse:
    raw_line_problem (malformed_row, bad_encoding; NULL for a parsed row) and raw_line
    (the line's text, emails hashed). -#}
{% macro raw_line_columns() %}
    {{ return(['raw_line_problem', 'raw_line']) }}
{% endmacro %}
