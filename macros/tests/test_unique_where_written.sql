{#- Fails for each value of a column, or combination of `columns`, that occurs more than
    once, checking only the keys of the rows the latest run wrote (rows with the largest
    `stamp_column`, the run stamp of incremental models) against the whole table. On a
    full build every row carries that stamp, and the whole table is checked with one
    GROUP BY. On an incremental run only the new keys are looked up: a duplicate must
    involve a row this run wrote, because older rows were checked by the run that wrote
    them (DECISIONS.md, Performance and tests). -#}
{% test unique_where_written(model, column_name=none, columns=none, stamp_column='processed_at') %}
    {#- on a column (column_name) or on a model (columns) -#}
    {%- set columns = [column_name] if column_name else columns -%}
    {%- if columns is none or columns is string or columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("unique_where_written: give a column, or columns as a non-empty list") }}
    {%- endif %}
    {%- set one_stamp = true -%}
    {#- not before the table exists (dbt compile, docs generate on an empty database) -#}
    {%- if execute and load_relation(model) is not none -%}
        {#- min = max, not count(distinct): no hash table over every row (NULL: empty) -#}
        {%- set one_stamp = run_query(
            'select coalesce(min(' ~ stamp_column ~ ') = max(' ~ stamp_column ~ '), true) from ' ~ model
        ).columns[0].values()[0] -%}
    {%- endif %}
    {%- if one_stamp %}
    {{ test_unique_combination(model, columns) }}
    {%- else %}
    with written_keys as (

        select distinct {{ columns | join(', ') }}
        from {{ model }}
        where {{ stamp_column }} = (select max({{ stamp_column }}) from {{ model }})

    )

    select
        {%- for column in columns %}
        stored.{{ column }},
        {%- endfor %}
        count(*) as occurrences
    from {{ model }} as stored
    inner join written_keys
        on
        {%- for column in columns %}
            stored.{{ column }} = written_keys.{{ column }}{{ ' and' if not loop.last }}
        {%- endfor %}
    group by {% for column in columns %}stored.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
    having count(*) > 1
    {%- endif %}
{% endtest %}
