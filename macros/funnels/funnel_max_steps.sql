{#- The most steps a funnel may have. Fixed, because customer_funnel_progress has one
    timestamp column per step under a contract; seed funnel_steps is tested against it. -#}
{% macro funnel_max_steps() %}
    {{ return(8) }}
{% endmacro %}

{#- The most steps the configured funnels have (max step_number of step_events, at most
    funnel_max_steps()), so funnel_attempts unrolls only the steps in use. Queried when the
    model runs; in dbt unit tests (fixture rows, no table to query), in parsing and before
    the seed is loaded (dbt compile, sqlfluff) it is funnel_max_steps(), which covers any
    funnel. -#}
{% macro funnel_steps_in_use(step_events) %}
    {%- if not execute or model.resource_type == 'unit_test' or load_relation(step_events) is none -%}
        {{ return(funnel_max_steps()) }}
    {%- endif -%}
    {%- set largest = run_query('select max(step_number) from ' ~ step_events).columns[0].values()[0] -%}
    {%- if largest is none -%}
        {{ return(1) }}
    {%- endif -%}
    {{ return([largest | int, funnel_max_steps()] | min) }}
{% endmacro %}
