{#- The value of a date var as 'YYYY-MM-DD' text, or none when the var is unset. A value
    that is not a real calendar date (31/12/2025, 2025-13-45, 2025-02-29) stops the build
    with one clear error naming the var, before any model or unit test runs. -#}
{% macro date_var(name) %}
    {%- set value = var(name, none) -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set text = value | string | trim -%}
    {%- set parts = modules.re.match('^(\d{4})-(\d{2})-(\d{2})$', text) -%}
    {%- set ns = namespace(valid=false) -%}
    {%- if parts -%}
        {%- set year, month, day = parts.group(1) | int, parts.group(2) | int, parts.group(3) | int -%}
        {%- if 1 <= month <= 12 and day >= 1 -%}
            {%- set next_month = modules.datetime.date(year + (month // 12), month % 12 + 1, 1) -%}
            {%- set month_days = (next_month - modules.datetime.timedelta(days=1)).day -%}
            {%- set ns.valid = day <= month_days -%}
        {%- endif -%}
    {%- endif -%}
    {%- if not ns.valid -%}
        {{ exceptions.raise_compiler_error(
            name ~ " must be a calendar date written YYYY-MM-DD, got '" ~ text ~ "'") }}
    {%- endif -%}
    {{ return(text) }}
{% endmacro %}
