{#- The relation a staging model reads for one raw table: the source, or, when the
    optional table is switched off (warehouse mode without it), an empty relation
    with the contract's columns so every downstream model still builds (empty). -#}
{% macro raw_table(table_name) %}
    {%- set contract = raw_contract() -%}
    {%- if table_name not in contract -%}
        {{ exceptions.raise_compiler_error(
            "raw_table: unknown raw table '" ~ table_name ~ "'; expected one of "
            ~ (contract.keys() | list | join(', '))) }}
    {%- endif -%}
    {%- set enabled = table_name == 'orders' or var('using_' ~ table_name, true) -%}
    {%- if enabled -%}
        {{ source('raw', table_name) }}
    {%- else -%}
        (
            select
            {%- for column in contract[table_name] %}
                cast(null as {{ dbt.type_string() }}) as {{ column }}{{ "," if not loop.last }}
            {%- endfor %}
            where 1 = 0
        ) as empty_{{ table_name }}
    {%- endif -%}
{% endmacro %}
