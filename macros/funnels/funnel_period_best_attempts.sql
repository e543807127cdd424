{#- The first day of the trend period (`day`, `week`: Monday, `month`) holding a date;
    NULL for `all`. The one definition of a funnel trend period. -#}
{% macro funnel_period_start(date_column, grain) %}
    {%- if grain == 'day' -%}
    {{ date_column }}
    {%- elif grain in ['week', 'month'] -%}
    cast({{ dbt.date_trunc(grain, '(' ~ date_column ~ ')') }} as date)
    {%- elif grain == 'all' -%}
    cast(null as date)
    {%- else -%}
    {{ exceptions.raise_compiler_error("funnel_period_start: grain must be day, week, month or all, got " ~ grain) }}
    {%- endif -%}
{%- endmacro %}


{#- The columns of a best attempt's step row (int_funnel_daily_best_attempts and the
    tables made from it), each qualified by `relation` when given; `attempt_count`: the
    expression of that column. The one list for every best-attempt table. -#}
{% macro funnel_best_step_columns(relation=none, attempt_count=none) %}
    {%- set columns = ['funnel_name', 'person_id', 'customer_id', 'entry_event_id', 'entry_at', 'entry_step',
        'entry_platform', 'furthest_step', 'attempt_count', 'step_number', 'step_at', 'step_event_id',
        'previous_step_at'] -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {%- for column in columns -%}
        {%- if column == 'attempt_count' and attempt_count -%}
            ({{ attempt_count }}) as attempt_count
        {%- else -%}
            {{ prefix }}{{ column }}
        {%- endif -%}
        {{ ',\n        ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{#- A select of each person's best attempt per funnel and `grain` period (`day`, `week`,
    `month`, `all`) from `daily_steps` (rows of int_funnel_daily_best_attempts): the best
    of their daily best attempts in the period (macro best_attempt_order), one row per
    step reached, with `period_start` (funnel_period_start) and attempt_count summed over
    the period's days (no period_start for `all`). The best of the days' best is the
    period's best, as the order is total; a dense rank under it marks every step row of
    that attempt, and each day's entry-step row carries its attempt count once. -#}
{% macro funnel_period_best_attempts(daily_steps, grain) %}
    {%- set period_column = '' if grain == 'all' else ',\n        best.period_start' -%}
    {%- if grain == 'day' %}
    select
        {{ funnel_best_step_columns() }},
        entry_date as period_start
    from {{ daily_steps }}
    {%- else %}
    {%- set period = funnel_period_start('days.entry_date', grain) %}
    select
        {{ funnel_best_step_columns('best', 'cast(best.period_attempts as ' ~ dbt.type_int() ~ ')') }}{{ period_column }}
    from (
        -- windows over the step rows, not a ranking joined back: daily_steps is read once
        select
            days.*,
            {{ period }} as period_start,
            sum(case when days.step_number = days.entry_step then days.attempt_count else 0 end) over (
                partition by days.funnel_name, days.person_id, {{ period }}
            ) as period_attempts,
            dense_rank() over (
                partition by days.funnel_name, days.person_id, {{ period }}
                order by {{ best_attempt_order('days') }}
            ) as attempt_rank
        from {{ daily_steps }} as days
    ) as best
    where best.attempt_rank = 1
    {%- endif %}
{%- endmacro %}


{#- The union of funnel_period_best_attempts over `grains`, each row with its
    `period_grain`: the one query of int_funnel_period_best_attempts and of
    funnel_trend_query's own ranking. `daily_steps`: the daily best attempts, or with
    `one_input_per_grain` the prefix of one relation per grain (`<prefix>_<grain>`). -#}
{% macro funnel_period_best_attempts_by_grain(grains, daily_steps, one_input_per_grain=false) %}
    {%- for grain in grains %}
    {%- set grain_steps = daily_steps ~ '_' ~ grain if one_input_per_grain else daily_steps %}
    select
        cast('{{ grain }}' as {{ dbt.type_string() }}) as period_grain,
        period_best.*
    from (
        {{ funnel_period_best_attempts(grain_steps, grain) | indent(8) }}
    ) as period_best
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- True when every attempt that can enter in the `grain` period starting at
    `period_start` has its whole conversion window observed by the end of the as-of date:
    the window of an entry just before the next period's start (funnel_window_end_us over
    `funnel_steps`, the alias of the row's int_funnel_steps). -#}
{% macro funnel_period_is_complete(period_start, grain, funnel_steps, as_of_date) %}
    ({{ funnel_window_end_us(
        'cast(' ~ dbt.dateadd(grain, 1, period_start) ~ ' as ' ~ dbt.type_timestamp() ~ ')', funnel_steps
    ) }}
    <= {{ epoch_microseconds('cast(' ~ dbt.dateadd('day', 1, as_of_date) ~ ' as ' ~ dbt.type_timestamp() ~ ')') }})
{%- endmacro %}


{#- The grains of funnel_conversion_trends (var `funnel_trend_grains`, validated). -#}
{% macro funnel_trend_grains() %}
    {{ return(choice_list_var('funnel_trend_grains', ['day', 'week', 'month'], ['day', 'week', 'month'])) }}
{%- endmacro %}


{#- The coarsest grain of funnel_trend_grains (month, else week, else day): the fewest
    rows per person in int_funnel_period_best_attempts, from which
    int_funnel_person_best_attempts takes each person's best overall. -#}
{% macro funnel_coarsest_trend_grain() %}
    {%- set grains = funnel_trend_grains() %}
    {%- for grain in ['month', 'week', 'day'] if grain in grains %}
        {%- if loop.first %}{{ return(grain) }}{% endif %}
    {%- endfor %}
{%- endmacro %}


{#- The columns of a funnel trend row after its period: the funnel, step and measures,
    and the incomplete-window flag (the one list for both trend marts). -#}
{% macro funnel_trend_measure_columns(relation) %}
    {%- set columns = ['funnel_name', 'step_number', 'step_name', 'order_mode', 'conversion_window',
        'conversion_window_unit', 'people_entered', 'people_reached', 'people_dropped', 'step_conversion_rate',
        'overall_conversion_rate', 'median_seconds_from_previous_step', 'mean_seconds_from_previous_step',
        'median_seconds_from_entry', 'mean_seconds_from_entry'] -%}
    {%- for column in columns %}
        {{ relation }}.{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- The funnel measures per period of entry for each grain of `grains` (day, week, month):
    one row per grain, period, funnel and step, with the incomplete-window flag. The one
    query behind funnel_conversion_trends and funnel_conversion_by_week; `period_column`
    names the period's column, `grain_column` the grain's (none when false). `kept`: read
    each person's period best attempts from int_funnel_period_best_attempts, which keeps
    them by person for the trend grains (var `funnel_trend_grains`); otherwise they are
    ranked here from int_funnel_daily_best_attempts. -#}
{% macro funnel_trend_query(grains, period_column='period_start', grain_column='period_grain', kept=false) %}
{%- if kept and grains != funnel_trend_grains() %}
    {{ exceptions.raise_compiler_error("funnel_trend_query: kept rows hold the grains of funnel_trend_grains only") }}
{%- endif %}
with as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

funnel_steps as (

    select * from {{ ref('int_funnel_steps') }}

),
{%- if not kept %}

daily_steps as (

    select * from {{ ref('int_funnel_daily_best_attempts') }}

),

period_steps as (
    {{ funnel_period_best_attempts_by_grain(grains, 'daily_steps') }}

),
{%- endif %}

{{ funnel_step_stats(ref('int_funnel_period_best_attempts') if kept else 'period_steps', 'funnel_steps',
    group_by=['period_grain', 'period_start']) }},

final as (

    select
        {%- if grain_column %}
        step_stats.period_grain as {{ grain_column }},
        {%- endif %}
        step_stats.period_start as {{ period_column }},
        {{ funnel_trend_measure_columns('step_stats') }},
        case step_stats.period_grain
            {%- for grain in grains %}
            when '{{ grain }}' then {{ funnel_period_is_complete(
                'step_stats.period_start', grain, 'funnel_steps', 'as_of.as_of_date'
            ) }}
            {%- endfor %}
        end as is_window_complete
    from step_stats
    inner join funnel_steps
        on
            step_stats.funnel_name = funnel_steps.funnel_name
            and step_stats.step_number = funnel_steps.step_number
    cross join as_of

)

select * from final
{%- endmacro %}


{#- Per person the change log listed since the calling model's latest run and per grain
    of `grains`, `from_period_start`: the first period whose best attempt can have
    changed, the one holding the person's first recomputed day of entry
    (funnel_days_to_recompute; NULL: every period). The one rule for
    int_funnel_period_best_attempts and its post-hook. -#}
{% macro funnel_periods_to_recompute(grains) -%}
select
    days.person_id,
    grain_list.period_grain,
    case grain_list.period_grain
        {%- for grain in grains %}
        when '{{ grain }}' then {{ funnel_period_start('days.from_date', grain) }}
        {%- endfor %}
    end as from_period_start
from (
    {{ funnel_days_to_recompute() | indent(4) }}
) as days
cross join (
    {%- for grain in grains %}
    select cast('{{ grain }}' as {{ dbt.type_string() }}) as period_grain
    {{- ' union all' if not loop.last }}
    {%- endfor %}
) as grain_list
{%- endmacro %}

{#- Post-hook of int_funnel_period_best_attempts (incremental runs): delete the stored
    rows, from earlier runs, of the periods funnel_periods_to_recompute names (a period
    left with no attempt is only deleted). -#}
{% macro replace_changed_periods(grains) %}
    {%- if is_incremental() %}
    {{ delete_matching(this, funnel_periods_to_recompute(grains),
        'stored.person_id = changed.person_id and stored.period_grain = changed.period_grain'
        ~ ' and stored.processed_at < ' ~ run_stamp()
        ~ ' and ' ~ in_tail('stored.period_start', 'changed.from_period_start')) }}
    {%- endif %}
{% endmacro %}
