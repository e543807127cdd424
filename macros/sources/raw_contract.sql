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

{#- The columns a raw table cannot do without: a file that has rows but lacks one of these
    stops the build before anything is built (every row would be a reject otherwise).
    Events need one of anonymous_id and customer_id as well (checked beside these). -#}
{% macro raw_required_columns() %}
    {{ return({
        'orders': ['order_id', 'customer_id', 'ordered_at', 'amount'],
        'events': ['event_id', 'event_name', 'occurred_at'],
        'customers': ['customer_id'],
    }) }}
{% endmacro %}

{#- Raw columns holding personal data: file mode's views show only their keyed hash
    (email_hash), and no model passes them on. -#}
{% macro raw_pii_columns() %}
    {{ return(['email']) }}
{% endmacro %}
