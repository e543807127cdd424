{#- The person stream's event id of an order (int_person_events): 'order:<order_id>', apart
    from every tracker event id. -#}
{% macro order_event_id(order_id) -%}
    {{ dbt.concat(["'order:'", '(' ~ order_id ~ ')']) }}
{%- endmacro %}
