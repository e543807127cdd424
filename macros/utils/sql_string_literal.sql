{#- A value as a SQL string literal: for text from a var or a table written into SQL
    (folder paths, event and funnel names), so no value can end the literal early.
    Standard SQL doubles single quotes; Spark SQL reads backslash escapes instead (there
    '' ends one literal and starts the next, which Spark concatenates). -#}
{% macro sql_string_literal(value) %}
    {{- return(adapter.dispatch('sql_string_literal', 'customer_lifecycle')(value)) -}}
{% endmacro %}

{% macro default__sql_string_literal(value) %}
    {{- return("'" ~ (value | string | replace("'", "''")) ~ "'") -}}
{% endmacro %}

{% macro spark__sql_string_literal(value) %}
    {{- return("'" ~ (value | string | replace("\\", "\\\\") | replace("'", "\\'")) ~ "'") -}}
{% endmacro %}
