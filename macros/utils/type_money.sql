{#- The type of money columns: exact decimal, two places. -#}
{% macro type_money() %}
    {{ return('decimal(18, 2)') }}
{% endmacro %}
