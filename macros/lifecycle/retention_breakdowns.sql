{#- The person attributes the retention marts are split by (var `retention_breakdowns`,
    validated): any of acquisition_channel, acquisition_platform, country (first touch
    and registration, fixed per customer) and rfm_segment (the segment at the month end
    before the cohort start, the last snapshot known when the cohort opens). -#}
{% macro retention_breakdowns() %}
    {{ return(choice_list_var('retention_breakdowns', ['acquisition_channel'],
        ['acquisition_channel', 'acquisition_platform', 'country', 'rfm_segment'], allow_empty=true)) }}
{%- endmacro %}


{#- The rows of `rows_cte` once for `(all)` and once per configured breakdown attribute,
    with `breakdown` (the attribute's name, or '(all)') and `breakdown_value` (its value
    for the row's customer at `start_date_column`: 'unknown' when the attribute is not
    known, '(none)' for no RFM segment yet). `columns` are the columns of rows_cte kept.
    The one definition of a retention breakdown, shared by every retention mart. -#}
{% macro retention_breakdown_rows(rows_cte, columns, customer_column='customer_id', start_date_column='cohort_start_date') %}
    {%- if columns is string or columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("retention_breakdown_rows: columns must be a non-empty list") }}
    {%- endif -%}
    {%- set attributes = retention_breakdowns() -%}
    select
        {%- for column in columns %}
        {{ rows_cte }}.{{ column }},
        {%- endfor %}
        cast('(all)' as {{ dbt.type_string() }}) as breakdown,
        cast('(all)' as {{ dbt.type_string() }}) as breakdown_value
    from {{ rows_cte }}
    {%- for attribute in attributes %}

    union all

    select
        {%- for column in columns %}
        {{ rows_cte }}.{{ column }},
        {%- endfor %}
        cast('{{ attribute }}' as {{ dbt.type_string() }}) as breakdown,
        {%- if attribute == 'rfm_segment' %}
        cast(coalesce(breakdown_rfm.rfm_segment, '(none)') as {{ dbt.type_string() }}) as breakdown_value
        {%- else %}
        cast(coalesce(breakdown_customers.{{ attribute }}, 'unknown') as {{ dbt.type_string() }}) as breakdown_value
        {%- endif %}
    from {{ rows_cte }}
    {%- if attribute == 'rfm_segment' %}
    left join {{ ref('int_customer_rfm_snapshots') }} as breakdown_rfm
        on
            {{ rows_cte }}.{{ customer_column }} = breakdown_rfm.customer_id
            and breakdown_rfm.snapshot_date = {{ rfm_snapshot_date_before(rows_cte ~ '.' ~ start_date_column) }}
    {%- else %}
    left join {{ ref('int_customer_acquisition') }} as breakdown_customers
        on {{ rows_cte }}.{{ customer_column }} = breakdown_customers.customer_id
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
