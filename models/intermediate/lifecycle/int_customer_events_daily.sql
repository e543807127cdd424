-- One row per identified customer per day per behaviour, on or before the as-of date:
-- how many times it happened and, for purchases, the revenue. A compact table of the
-- person stream (int_person_events: tracker events plus completed orders as
-- 'order_completed'), so activity, retention and churn read the same behaviour as the
-- funnels. Anonymous visitors are left out (no customer).
-- Incremental by customer on the change log (int_person_stream_changes): a run recomputes
-- each logged customer's days from the day of their change on (macro days_to_recompute)
-- and the post-hook deletes their stored rows of those days.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config(
    replace_hook="{{ replace_changed_people_from('activity_date', days_to_recompute(), 'from_date', key_column='customer_id') }}"
)) }}

with
{%- if is_incremental() %}

days_to_recompute as (

    {{ days_to_recompute() | indent(4) }}

),
{%- endif %}

person_events as (

    select
        events.customer_id,
        cast(events.occurred_at as date) as activity_date,
        events.event_name,
        events.revenue
    from {{ ref('int_person_events') }} as events
    {% if is_incremental() -%}
    inner join days_to_recompute
        on
            events.person_id = days_to_recompute.person_id
            and {{ in_tail('cast(events.occurred_at as date)', 'days_to_recompute.from_date') }}
    {%- endif %}
    where events.customer_id is not null

),

final as (

    select
        customer_id,
        activity_date,
        event_name,
        cast(count(*) as {{ dbt.type_int() }}) as event_count,
        cast(coalesce(sum(revenue), 0) as {{ type_money() }}) as revenue,
        {{ run_stamp() }} as processed_at
    from person_events
    group by customer_id, activity_date, event_name

)

select * from final
