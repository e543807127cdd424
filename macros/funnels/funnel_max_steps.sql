{#- The most steps a funnel may have. Fixed, because customer_funnel_progress has one
    timestamp column per step under a contract; seed funnel_steps is tested against it. -#}
{% macro funnel_max_steps() %}
    {{ return(8) }}
{% endmacro %}
