{#- Seeds on Spark: dbt-spark's session connection pastes seed values into the INSERT
    without escaping quotes, so a value like "Can't Lose Them" breaks the statement.
    This override writes each value as an escaped string literal cast to the column's
    type instead (NULL stays NULL). Root-project macros take precedence in dispatch. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set insert_sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            (
                {%- for column_name in agate_table.column_names -%}
                    {%- set value = row[loop.index0] -%}
                    {%- set column_type = column_types.get(column_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- if value is none -%}
                        cast(null as {{ column_type }})
                    {%- else -%}
                        cast('{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ column_type }})
                    {%- endif -%}
                    {{ ", " if not loop.last }}
                {%- endfor -%}
            ){{ "," if not loop.last }}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(insert_sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(insert_sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
