-- One row per completed order, attribution model and touch (int_order_touches): the
-- touch's share of the order (credit) and of its revenue. Models: first_touch, last_touch,
-- linear, position_based (40% first, 40% last, 20% shared by the touches between; one
-- touch takes all, two split half and half) and time_decay (weight 2^-(days before the
-- order / `attribution_half_life_days`), normalised). An order without a touch is credited
-- wholly to `(none)` in every model. Each order's credits sum to 1 in every model.
-- Incremental by person on the change log, like int_order_touches (recomputes the logged
-- people's orders, replaces their stored rows); the mart order_attribution_credits
-- publishes it.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config()) }}
{%- set half_life = var('attribution_half_life_days', 7) %}
{%- if half_life is not number or half_life <= 0 %}
    {{ exceptions.raise_compiler_error("attribution_half_life_days must be a number > 0, got " ~ half_life) }}
{%- endif %}
{%- set one = 'cast(1 as ' ~ type_double() ~ ')' %}
{%- set models = ['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay'] %}
with {{ changed_people_ctes(ref('int_order_touches'), 'touches') }}

latest as (

    select
        touches.*,
        min(touches.seconds_before_order) over (partition by touches.order_id) as seconds_before_order_of_latest
    from touches

),

weighted as (

    -- halved every half-life before the latest touch (weight 1): the same shares as
    -- halving before the order, with a sum of at least 1 whatever the half-life
    select
        latest.*,
        power(
            cast(0.5 as {{ type_double() }}),
            (latest.seconds_before_order - latest.seconds_before_order_of_latest) / {{ (half_life * 86400) | float }}
        ) as decay_weight
    from latest

),

normalised as (

    select
        weighted.*,
        -- an exact decimal sum: a floating-point sum depends on the order rows arrive in,
        -- and an incremental run must give the digits of a full one
        cast(
            sum(cast(weighted.decay_weight as decimal(38, 18))) over (partition by weighted.order_id)
            as {{ type_double() }}
        ) as total_decay_weight
    from weighted

),

credits as (

    {%- for model in models %}
    select
        order_id,
        person_id,
        customer_id,
        ordered_at,
        order_revenue,
        cast('{{ model }}' as {{ dbt.type_string() }}) as attribution_model,
        touch_number,
        touch_count,
        session_id,
        channel,
        touch_at,
        -- doubles throughout: a decimal literal divided on Spark keeps only 6 decimals
        case
            when touch_count = 0 then {{ one }}
            {%- if model == 'first_touch' %}
            when touch_number = 1 then {{ one }}
            {%- elif model == 'last_touch' %}
            when touch_number = touch_count then {{ one }}
            {%- elif model == 'linear' %}
            else {{ one }} / touch_count
            {%- elif model == 'position_based' %}
            when touch_count = 1 then {{ one }}
            when touch_count = 2 then {{ one }} / 2
            when touch_number = 1 or touch_number = touch_count then {{ one }} * 0.4
            else {{ one }} * 0.2 / (touch_count - 2)
            {%- elif model == 'time_decay' %}
            else decay_weight / total_decay_weight
            {%- endif %}
            {%- if model in ['first_touch', 'last_touch'] %}
            else {{ one }} * 0
            {%- endif %}
        end as credit
    from normalised
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        order_id,
        person_id,
        customer_id,
        ordered_at,
        attribution_model,
        touch_number,
        touch_count,
        session_id,
        channel,
        touch_at,
        cast(credit as {{ type_double() }}) as credit,
        -- a share of money, not rounded to cents: the pieces of an order add up to it
        cast(order_revenue as {{ type_double() }}) * credit as attributed_revenue,
        {{ run_stamp() }} as processed_at
    from credits

)

select * from final
