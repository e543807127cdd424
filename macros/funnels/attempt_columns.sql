{#- The columns of one funnel attempt after its funnel and person, as int_funnel_attempts
    stores them (customer_id .. furthest_step, step_1_at .. step_N_at), each followed by a
    comma: the tables that keep a chosen attempt (weekly and overall best) pass them on. -#}
{% macro attempt_columns() %}
    {%- set columns = ['customer_id', 'entry_event_id', 'entry_at', 'entry_step', 'entry_platform',
        'furthest_step'] %}
    {%- for k in range(1, funnel_max_steps() + 1) %}{% do columns.append('step_' ~ k ~ '_at') %}{% endfor %}
    {%- for column in columns %}
        {{ column }},
    {%- endfor %}
{%- endmacro %}
