{#- Layers land in schemas named after the layer (`staging`, `intermediate`, `marts`,
    `seeds`) rather than dbt's default `<target_schema>_<layer>`, so BI tools find
    `marts.customers` on every target. A target schema other than an engine's default
    (`main`, `default`, `public`) is kept as a prefix, so two builds can share one
    warehouse database. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.schema in ('main', 'default', 'public') -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
