{#- The rows of `int_customer_retention_windows` (read from CTE `windows_cte`) once per
    cohort grain of the day-based retention marts: `day` (the entry's date) and `week`
    (its Monday; of recurring entries only the first of each week, so a week cohort
    counts each customer once), with `returned` and `observed` as 0/1 for summing. The
    one definition of those cohorts, shared by retention_by_day and retention_by_bracket
    (which then split them with retention_breakdown_rows). -#}
{% macro retention_cohort_rows(windows_cte, columns) %}
    {%- if columns is string or columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("retention_cohort_rows: columns must be a non-empty list") }}
    {%- endif -%}
    {%- for grain in ['day', 'week'] %}
    {% if not loop.first %}union all{% endif %}
    select
        retention_type,
        '{{ grain }}' as cohort_grain,
        {{ 'start_date' if grain == 'day' else 'start_week' }} as cohort_start_date,
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        case when has_returned then 1 else 0 end as returned,
        case when is_observed then 1 else 0 end as observed
    from {{ windows_cte }}
    {%- if grain == 'week' %}
    where opens_week_cohort
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
