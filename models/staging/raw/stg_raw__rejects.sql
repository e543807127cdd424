{%- set tables = [
    ('orders', 'base_raw__orders', 'order_id'),
    ('events', 'base_raw__events', 'event_id'),
    ('customers', 'base_raw__customers', 'customer_id'),
] %}

with
{% for table_name, model_name, key_column in tables %}
{{ table_name }}_rejects as (

    select
        raw_row_id,
        '{{ table_name }}' as source_table,
        {{ key_column }} as record_id,
        reject_reason,
        raw_record
    from {{ ref(model_name) }}
    where reject_reason is not null

),
{% endfor %}

final as (

    {% for table_name, model_name, key_column in tables -%}
    select * from {{ table_name }}_rejects
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
