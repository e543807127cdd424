{#- The opening edge of time-to-convert log bin n (n >= 1) in whole microseconds:
    2^(n-1) seconds, exact (powers of two are exact in a double up to 2^53). The one
    definition of the log bins' edges, used to bin a time (int_funnel_conversion_times)
    and to label the bins (funnel_time_to_convert_histogram). -#}
{% macro log_bin_start_microseconds(bin_number) -%}
    (cast(power(2, ({{ bin_number }}) - 1) as {{ dbt.type_bigint() }}) * 1000000)
{%- endmacro %}
