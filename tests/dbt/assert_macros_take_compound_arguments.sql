-- The expression macros called with compound arguments (`a - 1`, `x + y`, `p or q`),
-- each against its value worked out by hand. A macro that pasted an argument without
-- parentheses computes something else (divide_money(150.00, n - 1) with n = 3 gave
-- 30000 / 5 cents). Returns the checks that fail.
with numbers as (

    select
        3 as purchase_days,
        cast(100.00 as {{ type_money() }}) as repeat_revenue,
        cast(10.00 as {{ type_money() }}) as part_a,
        cast(5.01 as {{ type_money() }}) as part_b

),

-- three rows 1, 2, 3: the mean of v - 1 is 1, so v - 1 is at or above it for v = 2, 3
measures as (

    select 1 as v
    union all
    select 2 as v
    union all
    select 3 as v

),

scored as (

    select
        v,
        {{ compare_to_mean('v - 1', 'at_or_above') }} as is_at_or_above_mean,
        {{ quantile_score('v - 1', 3) }} as score
    from measures

),

checks as (

    -- 100.00 over 3 - 1 = 2 purchase days: 50.00 (not 100.00 / (2 * 3 - 1))
    select
        'divide_money(amount, count - 1)' as check_name,
        {{ divide_money('repeat_revenue', 'purchase_days - 1') }} = 50.00 as passed
    from numbers
    union all
    -- (10.00 + 5.01) / (3 - 1) = 7.505, half up to 7.51
    select
        'divide_money(a + b, count - 1)' as check_name,
        {{ divide_money('part_a + part_b', 'purchase_days - 1') }} = 7.51 as passed
    from numbers
    union all
    -- (3 - 1) / (1 + 1) = 1
    select
        'rate(a - 1, b + 1)' as check_name,
        {{ rate('purchase_days - 1', '0 + 1 + 1') }} = 1 as passed
    from numbers
    union all
    -- period 3 - 1 = 2 lies in [2, 4]; 3 + 2 = 5 does not; 3 - 1 = 2 is exactly day 2
    select
        'period_in_window(n - 1, 2, 4)' as check_name,
        {{ period_in_window('purchase_days - 1', 2, 4) }}
        and not {{ period_in_window('purchase_days + 2', 2, 4) }}
        and {{ period_in_window('purchase_days - 1', 2, 2) }}
        and not {{ period_in_window('purchase_days - 2', 2) }} as passed
    from numbers
    union all
    -- recent (true or false) and not frequent: development; unwrapped, `p or q and f`
    -- would read p or (q and f), true, and say value
    select
        'value_segment(p or q, ...)' as check_name,
        {{ value_segment('purchase_days < 4 or purchase_days > 5', 'purchase_days = 4', '1 = 1') }}
        = 'important development' as passed
    from numbers
    union all
    select
        'compare_to_mean(v - 1)' as check_name,
        is_at_or_above_mean = (v >= 2) as passed
    from scored
    union all
    -- v - 1 = 0, 1, 2 over 3 buckets: scores 1, 2, 3
    select
        'quantile_score(v - 1, 3)' as check_name,
        score = v as passed
    from scored

)

select check_name
from checks
where not coalesce(passed, false)
