{#- A non-negative money amount divided by a count, exact to the cent and rounded half
    up (the commercial rule): engines divide decimals in floating point (129.015 would
    become 129.01499...), so this works in whole cents. NULL when the count is 0 (the
    engines disagree on x / 0). -#}
{% macro divide_money(amount, count) %}
    case
        when ({{ count }}) = 0 then null
        else cast(
            floor((2 * round(({{ amount }}) * 100) + ({{ count }})) / (2 * ({{ count }}))) / 100
            as {{ type_money() }}
        )
    end
{% endmacro %}
