{#- A value as a SQL string literal, single quotes doubled: for names read from a table
    and written into SQL (funnel names from the seed). -#}
{% macro sql_string_literal(value) %}
    {{- return("'" ~ (value | string | replace("'", "''")) ~ "'") -}}
{% endmacro %}
