{#- Who an event belongs to: its own customer id, else the customer its anonymous id
    identified as (int_identity_map), else the anonymous id itself, prefixed
    'anonymous:'. The one definition of the stitching rule (int_events_stitched, and the
    new owner of a moved history in int_events_sessionized). -#}
{% macro stitched_person_id(own_customer_id, mapped_customer_id, anonymous_id) %}
    coalesce(
        {{ own_customer_id }},
        {{ mapped_customer_id }},
        {{ dbt.concat(["'anonymous:'", anonymous_id]) }}
    )
{%- endmacro %}
