{#- 8-byte floating point for rates and shares (dbt.type_float() is a 4-byte REAL on
    DuckDB, too coarse for shares that must sum to 1). PostgreSQL spells it `double
    precision`. -#}
{% macro type_double() %}
    {{ return('double precision' if target.type == 'postgres' else 'double') }}
{% endmacro %}
