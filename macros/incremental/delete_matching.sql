{#- Delete the rows of `target` (alias `stored`) that match a row of `source_sql` (alias
    `changed`) on `condition`: the one statement every replace post-hook runs. -#}
{% macro delete_matching(target, source_sql, condition) %}
    {{ return(adapter.dispatch('delete_matching', 'customer_lifecycle')(target, source_sql, condition)) }}
{% endmacro %}

{#- DuckDB (and PostgreSQL): DELETE ... USING, a join. -#}
{% macro default__delete_matching(target, source_sql, condition) %}
delete from {{ target }} as stored
using ({{ source_sql }}) as changed
where {{ condition }}
{% endmacro %}

{#- Spark on Delta tables: MERGE ... WHEN MATCHED THEN DELETE (Delta's DELETE takes no join
    and no nested subquery). Only runs with spark_table_format: delta; parquet tables are
    rebuilt instead. -#}
{% macro spark__delete_matching(target, source_sql, condition) %}
merge into {{ target }} as stored
using ({{ source_sql }}) as changed
on {{ condition }}
when matched then delete
{% endmacro %}
