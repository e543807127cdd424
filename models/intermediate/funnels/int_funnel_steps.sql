-- One row per funnel per step: the step's display name and its funnel's settings. Funnels
-- are data: seed funnel_steps names the steps and their events; seed funnel_settings
-- optionally overrides the conversion window, order mode and open entry of a funnel,
-- else the vars' defaults apply. In any_order funnels step n means "n of the steps done".
-- The window is a count of minutes, hours, days, weeks or calendar months
-- (conversion_window and conversion_window_unit; a settings row may give
-- conversion_window_days instead). Fixed units carry their length in microseconds; a
-- month's length depends on the entry date (macro funnel_window_end_us). The time-to-convert
-- histogram's bin width (NULL: bins doubling in length, int_funnel_conversion_times).
{%- set default_window_days = var('funnel_conversion_window_days', 14) %}
{%- set default_order_mode = var('funnel_order_mode', 'ordered') %}
{%- if default_window_days is not number or default_window_days < 0
    or default_window_days != default_window_days | int %}
    {{ exceptions.raise_compiler_error(
        "funnel_conversion_window_days must be a whole number of days >= 0, got " ~ default_window_days) }}
{%- endif %}
{%- if default_order_mode not in ['ordered', 'strict', 'any_order'] %}
    {{ exceptions.raise_compiler_error(
        "funnel_order_mode must be ordered, strict or any_order, got '" ~ default_order_mode ~ "'") }}
{%- endif %}
with steps as (

    select * from {{ ref('funnel_steps') }}

),

settings as (

    select * from {{ ref('funnel_settings') }}

),

named_steps as (

    select
        funnel_name,
        step_number,
        min(step_name) as step_name
    from steps
    group by funnel_name, step_number

),

funnels as (

    select
        funnel_name,
        count(*) as step_count
    from named_steps
    group by funnel_name

),

configured as (

    select
        named_steps.funnel_name,
        named_steps.step_number,
        named_steps.step_name,
        cast(funnels.step_count as {{ dbt.type_int() }}) as step_count,
        cast(coalesce(
            settings.conversion_window, settings.conversion_window_days, {{ default_window_days }}
        ) as {{ dbt.type_int() }}) as conversion_window,
        case
            when settings.conversion_window is not null then coalesce(settings.conversion_window_unit, 'day')
            else 'day'
        end as conversion_window_unit,
        coalesce(settings.order_mode, {{ sql_string_literal(default_order_mode) }}) as order_mode,
        coalesce(settings.is_open_entry, false) as is_open_entry,
        cast(settings.time_to_convert_bin_seconds as {{ dbt.type_int() }}) as time_to_convert_bin_seconds
    from named_steps
    inner join funnels
        on named_steps.funnel_name = funnels.funnel_name
    left join settings
        on named_steps.funnel_name = settings.funnel_name

),

final as (

    select
        funnel_name,
        step_number,
        case
            when order_mode = 'any_order'
                then {{ dbt.concat([
                    "'completed '",
                    dbt.cast('step_number', dbt.type_string()),
                    "' of '",
                    dbt.cast('step_count', dbt.type_string()),
                    "' steps'",
                ]) }}
            else step_name
        end as step_name,
        step_count,
        conversion_window,
        conversion_window_unit,
        cast(conversion_window * case conversion_window_unit
            when 'minute' then 60000000
            when 'hour' then 3600000000
            when 'day' then 86400000000
            when 'week' then 604800000000
        end as {{ dbt.type_bigint() }}) as conversion_window_microseconds,
        order_mode,
        is_open_entry,
        time_to_convert_bin_seconds
    from configured

)

select * from final
