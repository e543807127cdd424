{#- The breakdowns of funnel_conversion_by_breakdown (var `funnel_breakdowns`, validated):
    a list of `attribute` or `attribute:attribution` strings, returned as dicts with
    `attribute`, `attribution` and `touch_step` (the SQL of the step, in a row of
    int_funnel_person_best_attempts, whose event the value is taken from).
    attributes:   platform (of the attributed step's event), first_touch_channel,
                  acquisition_platform, country (the person's, fixed), rfm_segment (at the
                  month end before the attributed step's month).
    attributions: first_touch (the entry step: step 1 unless the funnel has open entry;
                  the default), last_touch (the furthest step reached), step_<k> (step k;
                  people with no step-k event are left out). -#}
{% macro funnel_breakdowns() %}
    {%- set attributes = ['platform', 'first_touch_channel', 'acquisition_platform', 'country', 'rfm_segment'] -%}
    {%- set entries = var('funnel_breakdowns', ['first_touch_channel', 'platform', 'platform:last_touch']) -%}
    {%- set usage = "funnel_breakdowns must be a non-empty list of distinct 'attribute' or 'attribute:attribution' strings (attributes: "
        ~ attributes | join(', ') ~ "; attributions: first_touch, last_touch, step_<k> with k >= 1)" -%}
    {%- if entries is string or entries is not iterable or entries is mapping or entries | length == 0 -%}
        {{ exceptions.raise_compiler_error(usage ~ ", got " ~ entries) }}
    {%- endif -%}
    {%- set breakdowns = [] -%}
    {%- set seen = [] -%}
    {%- for entry in entries -%}
        {%- set parts = (entry ~ '').split(':') -%}
        {%- set attribute = parts[0] | trim -%}
        {%- set attribution = (parts[1] | trim) if parts | length == 2 else 'first_touch' -%}
        {%- set step_text = attribution[5:] if attribution.startswith('step_') else '' -%}
        {%- if entry is not string or parts | length > 2 or attribute not in attributes
            or not (attribution in ['first_touch', 'last_touch'] or (step_text.isdigit() and step_text | int >= 1)) -%}
            {{ exceptions.raise_compiler_error(usage ~ ", got " ~ entry) }}
        {%- endif -%}
        {%- set attribution = 'step_' ~ (step_text | int) if step_text else attribution -%}
        {%- if (attribute ~ ':' ~ attribution) in seen -%}
            {{ exceptions.raise_compiler_error(usage ~ ", got " ~ entry ~ " twice") }}
        {%- endif -%}
        {%- do seen.append(attribute ~ ':' ~ attribution) -%}
        {%- set touch_step = {'first_touch': 'entry_step', 'last_touch': 'furthest_step'}.get(attribution, step_text | int) -%}
        {%- do breakdowns.append({'attribute': attribute, 'attribution': attribution, 'touch_step': touch_step}) -%}
    {%- endfor -%}
    {{ return(breakdowns) }}
{%- endmacro %}
