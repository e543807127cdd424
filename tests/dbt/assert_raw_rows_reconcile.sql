-- Every raw row ends in exactly one place: raw rows = staged rows + rejected rows, per
-- table. Returns the tables that do not reconcile. Raw rows are counted with every
-- contract column read, as staging reads them (DuckDB's CSV reader skips a line whose read
-- columns are not UTF-8, and a bare count(*) reads no column; that line is a reject).
{%- set tables = [
    ('orders', 'stg_raw__orders'),
    ('events', 'stg_raw__events'),
    ('customers', 'stg_raw__customers'),
] %}

with
{% for table_name, staged_model in tables %}
{{ table_name }}_counts as (

    select
        '{{ table_name }}' as source_table,
        (
            {%- set read_columns = [] %}
            {%- for column in raw_contract()[table_name] + raw_line_columns() %}
            {%- do read_columns.append('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')') %}
            {%- endfor %}
            select
                count(
                    coalesce(
                        {{ read_columns | join(',\n                            ') }},
                        ''
                    )
                )
            from {{ raw_table(table_name) }}
        ) as raw_rows,
        (select count(*) from {{ ref(staged_model) }}) as staged_rows,
        (
            select count(*) from {{ ref('stg_raw__rejects') }}
            where source_table = '{{ table_name }}'
        ) as rejected_rows

),
{% endfor %}

counts as (

    {% for table_name, staged_model in tables -%}
    select * from {{ table_name }}_counts
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select *
from counts
where raw_rows != staged_rows + rejected_rows
