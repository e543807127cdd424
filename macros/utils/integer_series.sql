{#- A relation of whole numbers 0 .. upper_bound - 1 in column `n`, built from cross
    joined digits so it runs on any engine (no generate_series / sequence needed). With
    `through` (a scalar SQL expression, e.g. a subquery on the data), only 0 .. through:
    a calendar series then follows the data. periods_series() is the size to use for
    periods between two dates: it covers every week between years 1 and 9999. -#}
{% macro integer_series(upper_bound, through=none) %}
    {%- if upper_bound is not number or upper_bound < 1 -%}
        {{ exceptions.raise_compiler_error("integer_series: upper_bound must be a number >= 1") }}
    {%- endif -%}
    {%- set ns = namespace(places=1) -%}
    {%- for _ in range(12) -%}
        {%- if 10 ** ns.places < upper_bound %}{% set ns.places = ns.places + 1 %}{% endif -%}
    {%- endfor -%}
    select n from (
        select
            {%- for place in range(ns.places) %}
            d{{ place }}.digit * {{ 10 ** place }}{{ ' +' if not loop.last }}
            {%- endfor %} as n
        from
            {%- for place in range(ns.places) %}
            (
                select 0 as digit union all select 1 union all select 2 union all select 3
                union all select 4 union all select 5 union all select 6 union all select 7
                union all select 8 union all select 9
            ) as d{{ place }}{{ ',' if not loop.last }}
            {%- endfor %}
    ) as digits
    where n < {{ upper_bound }}
    {%- if through is not none %}
        and n <= ({{ through }})
    {%- endif %}
{%- endmacro %}

{#- The size of a series of periods (days excluded) between two valid dates: 1,000,000
    exceeds the weeks between years 1 and 9999, so no period a date can name is cut. -#}
{% macro periods_series_size() %}
    {{ return(1000000) }}
{%- endmacro %}
