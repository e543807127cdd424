{#- True when a UTC timestamp falls on or before the as-of date (inclusive, whole day).
    The one place where "as of" is defined; every as-of model filters with it. -#}
{% macro on_or_before_as_of(timestamp_column, as_of_column='as_of_date') %}
    (({{ timestamp_column }}) < {{ dbt.dateadd('day', 1, '(' ~ as_of_column ~ ')') | trim }})
{% endmacro %}
