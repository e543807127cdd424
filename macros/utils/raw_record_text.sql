{#- A readable 'column=value; ...' rendering of a raw row, kept with each reject so an
    analyst sees what was wrong. Columns in `hashed` (PII) are shown as a hash only. -#}
{% macro raw_record_text(columns, hashed=[]) %}
    {%- if columns is string or columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("raw_record_text: columns must be a non-empty list") }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- set value = "cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")" -%}
        {%- if column in hashed -%}
            {%- do parts.append("'" ~ column ~ "_hash='") -%}
            {%- do parts.append("coalesce(" ~ raw_email_hash(column) ~ ", '<null>')") -%}
        {%- else -%}
            {%- do parts.append("'" ~ column ~ "='") -%}
            {%- do parts.append("coalesce(" ~ value ~ ", '<null>')") -%}
        {%- endif -%}
        {%- if not loop.last %}{% do parts.append("'; '") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{% endmacro %}
