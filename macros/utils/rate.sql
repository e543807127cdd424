{#- numerator / denominator as a double; NULL when the denominator is 0 or NULL (engines
    disagree on x / 0: NULL, an error, or infinity). -#}
{% macro rate(numerator, denominator) %}
    (cast(({{ numerator }}) as {{ type_double() }}) / nullif(cast(({{ denominator }}) as {{ type_double() }}), 0))
{%- endmacro %}
