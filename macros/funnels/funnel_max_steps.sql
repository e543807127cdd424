{#- The most steps a funnel may have. Fixed, because customer_funnel_progress has one
    timestamp column per step under a contract; seed funnel_steps is tested against it. -#}
{% macro funnel_max_steps() %}
    {{ return(8) }}
{% endmacro %}

{#- The most steps the configured funnels have (max step_number of step_events, at most
    funnel_max_steps()), or one funnel's when funnel_name is given, so funnel_attempts
    unrolls only the steps in use. Queried when the model runs; in dbt unit tests (fixture
    rows, no table to query), in parsing and before the seed is loaded (dbt compile,
    sqlfluff) it is funnel_max_steps(), which covers any funnel. -#}
{% macro funnel_steps_in_use(step_events, funnel_name=none) %}
    {%- if not funnel_seed_is_queryable(step_events) -%}
        {{ return(funnel_max_steps()) }}
    {%- endif -%}
    {%- set largest = run_query('select max(step_number) from ' ~ step_events
        ~ ('' if funnel_name is none else ' where funnel_name = ' ~ sql_string_literal(funnel_name))
    ).columns[0].values()[0] -%}
    {%- if largest is none -%}
        {{ return(1) }}
    {%- endif -%}
    {{ return([largest | int, funnel_max_steps()] | min) }}
{% endmacro %}

{#- The configured funnels' names, sorted, queried when the model runs; none where
    funnel_steps_in_use cannot query (then funnel_attempts runs all funnels in one pass). -#}
{% macro configured_funnel_names(step_events) %}
    {%- if not funnel_seed_is_queryable(step_events) -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(run_query('select distinct funnel_name from ' ~ step_events ~ ' order by funnel_name'
        ).columns[0].values() | list) }}
{% endmacro %}

{#- True when the funnel seed can be queried now: at execution, outside unit tests, once loaded. -#}
{% macro funnel_seed_is_queryable(step_events) %}
    {{ return(execute and model.resource_type != 'unit_test' and load_relation(step_events) is not none) }}
{% endmacro %}
