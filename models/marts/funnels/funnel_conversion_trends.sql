-- One row per trend grain (var `funnel_trend_grains`: day, week, month), period of entry,
-- funnel and step: the funnel measures over each person's best attempt that entered in
-- the period (int_funnel_period_best_attempts, kept by person), so a person counts once
-- per period they entered in. `is_window_complete` is false while the conversion window
-- of the period's last possible entry has not closed by the as-of date (macro
-- funnel_period_is_complete): such a period can still convert. A period's measures
-- (medians too) need everyone who entered in it, so the table is rebuilt each run from
-- the kept rows, an aggregate with no ranking.
{{ funnel_trend_query(funnel_trend_grains(), kept=true) }}
