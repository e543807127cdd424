-- One row per trend grain (var `funnel_trend_grains`: day, week, month), period of entry,
-- funnel and step: the funnel measures over each person's best attempt that entered in
-- the period (the best of their daily ones, macro funnel_period_best_attempts), so a
-- person counts once per period they entered in. `is_window_complete` is false while the
-- conversion window of the period's last possible entry has not closed by the as-of
-- date (macro funnel_period_is_complete): such a period can still convert. The rows of
-- funnel_conversion_trends, with the run stamp that keeps them incrementally.
-- Incremental on the change log (int_person_stream_changes): a run recomputes, per grain,
-- every period from the first one a change can reach or whose window was open (macro
-- funnel_trend_periods_to_recompute), and the post-hook deletes their stored rows; past
-- periods are kept. Changing the funnel seeds or funnel vars needs --full-refresh.
-- depends_on: {{ ref('int_person_stream_changes') }} (read on incremental runs only)
{{ config(**incremental_by_changed_people_config(replace_hook="{{ replace_trend_periods() }}")) }}
{{ funnel_trend_query(funnel_trend_grains(), kept_incrementally=true) }}
