{#- Final step of every base model. From a CTE holding one row per raw row with
    `raw_row_fingerprint`, `raw_record` and `row_problem` (the first failed check, or
    NULL), it returns each row with:
      raw_row_id    - unique per raw row, also for exact copies of a row;
      reject_reason - row_problem, or 'duplicate' for a valid row whose key a better
                      valid row already holds (the winner is first by `winner_order`).
    Rows with a problem never win a key, so a bad copy cannot shadow a good one. Among
    exact copies the first copy number wins, so every build marks the same raw_row_id. -#}
{% macro mark_rejects(checked_cte, key_column, winner_order, output_columns) %}
    {%- if output_columns is string or output_columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("mark_rejects: output_columns must be a non-empty list") }}
    {%- endif -%}
    {%- if not winner_order -%}
        {{ exceptions.raise_compiler_error("mark_rejects: winner_order is required (deterministic winner)") }}
    {%- endif -%}
    select
        {{ dbt.hash(dbt.concat([
            'raw_row_fingerprint', "'#'",
            'cast(identical_copy_number as ' ~ dbt.type_string() ~ ')'])) }} as raw_row_id,
        {%- for column in output_columns %}
        {{ column }},
        {%- endfor %}
        raw_record,
        coalesce(
            row_problem,
            case when copy_rank > 1 then 'duplicate' end
        ) as reject_reason
    from (
        select
            numbered.*,
            row_number() over (
                partition by {{ key_column }}
                order by case when row_problem is null then 0 else 1 end, {{ winner_order }},
                    identical_copy_number
            ) as copy_rank
        from (
            select
                {{ checked_cte }}.*,
                row_number() over (
                    partition by raw_row_fingerprint
                    order by {{ key_column }}
                ) as identical_copy_number
            from {{ checked_cte }}
        ) as numbered
    ) as ranked
{% endmacro %}