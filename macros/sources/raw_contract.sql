{#- The raw data contract: the columns read from each raw table, in order. Extra columns
    in the raw data are ignored; missing optional columns become typed NULLs. -#}
{% macro raw_contract() %}
    {{ return({
        'orders': ['order_id', 'customer_id', 'ordered_at', 'amount', 'status'],
        'events': ['event_id', 'anonymous_id', 'customer_id', 'event_name', 'occurred_at',
                   'session_id', 'channel', 'platform'],
        'customers': ['customer_id', 'email', 'created_at', 'acquisition_channel', 'country'],
    }) }}
{% endmacro %}
