{#- The transaction model that fills customer_clv's P(alive), expected purchases and
    predicted CLV (var `clv_transaction_model`): bg_nbd (default) or pareto_nbd. -#}
{% macro clv_transaction_model() %}
    {%- set models = ['bg_nbd', 'pareto_nbd'] -%}
    {%- set chosen = var('clv_transaction_model', 'bg_nbd') -%}
    {%- if chosen not in models -%}
        {{ exceptions.raise_compiler_error(
            "clv_transaction_model must be bg_nbd or pareto_nbd, got '" ~ chosen ~ "'") }}
    {%- endif -%}
    {{ return(chosen) }}
{%- endmacro %}
