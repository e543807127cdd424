{#- Scores a measure into `buckets` quantile buckets, 1 = worst, `buckets` = best:
        score = 1 + floor(buckets * (rows strictly worse) / (rows))
    computed within each `partition_by` group. Equal values always get the same score
    (the count of strictly worse rows is the same for all of them), so ties are never
    split arbitrarily as ntile() would. The worst value always scores 1; with fewer rows
    than buckets some scores are simply unused. NULL measures score NULL. -#}
{% macro quantile_score(measure, buckets=5, higher_is_better=true, partition_by=none) %}
    {%- if measure is not string or measure | trim == '' -%}
        {{ exceptions.raise_compiler_error("quantile_score: measure must be a SQL expression string") }}
    {%- endif -%}
    {%- if buckets is not number or buckets < 2 or buckets != buckets | int -%}
        {{ exceptions.raise_compiler_error("quantile_score: buckets must be a whole number >= 2, got " ~ buckets) }}
    {%- endif -%}
    {%- if higher_is_better not in [true, false] -%}
        {{ exceptions.raise_compiler_error("quantile_score: higher_is_better must be true or false") }}
    {%- endif -%}
    {%- set measure = '(' ~ measure ~ ')' -%}
    {%- set partition = 'partition by ' ~ partition_by if partition_by else '' -%}
    {%- set direction = 'asc' if higher_is_better else 'desc' -%}
    case
        when {{ measure }} is null then null
        else cast(
            1 + floor(
                {{ buckets | int }} * (
                    rank() over ({{ partition }} order by case when {{ measure }} is null then 1 else 0 end, {{ measure }} {{ direction }}) - 1
                ) / count({{ measure }}) over ({{ partition }})
            ) as {{ dbt.type_int() }}
        )
    end
{% endmacro %}
