{#- Raw text trimmed, with empty strings as NULL (CSV exports write missing values
    either way). -#}
{% macro clean_text(column) %}
    nullif(trim(cast(({{ column }}) as {{ dbt.type_string() }})), '')
{% endmacro %}
