"""Funnels on the demo data equal an independent pandas implementation written from
DECISIONS.md: one attempt per step-1 event, each step the first later event of that step
(a different event; same-second events taken in step order) inside the window counted
from step 1 inclusive (in the funnel's unit); an attempt with an exclusion event strictly
between its from_step and to_step events (up to the window's end, inclusive, when it never
reached to_step) stops at from_step; per person the furthest attempt, ties to the earliest."""
import csv
import sys
from collections import Counter

import pandas as pd
import pytest

from conftest import PROJECT_DIR, query
from reference import sessionized_events, staged_events, staged_orders

sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from window_funnel import comparable_funnels, window_funnel_sql  # noqa: E402

DEMO_DIR = PROJECT_DIR / "data" / "demo"
AS_OF = pd.Timestamp("2025-12-31")


def funnel_definition(name):
    with open(PROJECT_DIR / "seeds" / "funnel_steps.csv") as handle:
        steps = [row for row in csv.DictReader(handle) if row["funnel_name"] == name]
    with open(PROJECT_DIR / "seeds" / "funnel_settings.csv") as handle:
        settings = next(row for row in csv.DictReader(handle) if row["funnel_name"] == name)
    with open(PROJECT_DIR / "seeds" / "funnel_exclusions.csv") as handle:
        exclusions = [(row["event_name"], int(row["from_step"]), int(row["to_step"]))
                      for row in csv.DictReader(handle) if row["funnel_name"] == name]
    assert settings["order_mode"] == "ordered" and settings["is_open_entry"] == "false"
    by_event = {}
    for row in steps:
        by_event.setdefault(row["event_name"], set()).add(int(row["step_number"]))
    step_count = max(int(row["step_number"]) for row in steps)
    if settings["conversion_window"]:
        unit = settings["conversion_window_unit"] or "day"
        window = (pd.DateOffset(months=int(settings["conversion_window"])) if unit == "month"
                  else pd.Timedelta(**{unit + "s": int(settings["conversion_window"])}))
    else:
        window = pd.Timedelta(days=int(settings["conversion_window_days"]))
    return by_event, step_count, window, exclusions


@pytest.fixture(scope="module")
def person_stream():
    """Stitched tracker events without their order_completed, plus completed orders."""
    end = AS_OF + pd.Timedelta(days=1)
    events = sessionized_events(staged_events(DEMO_DIR))
    events = events[(events.event_name != "order_completed") & (events.occurred_at < end)]
    orders = staged_orders(DEMO_DIR)
    orders = orders[(orders.order_status == "completed") & (orders.ordered_at < end)]
    return pd.concat([
        events[["person_id", "event_id", "event_name", "occurred_at", "platform"]],
        pd.DataFrame({"person_id": orders.customer_id, "event_id": "order:" + orders.order_id,
                      "event_name": "order_completed", "occurred_at": orders.ordered_at,
                      "platform": None}),
    ], ignore_index=True)


def excluded_step(step_times, window_end, exclusions, excluded_at):
    """The step an attempt stops at under the exclusion rules (None: not stopped).
    step_times: {step: time reached}; excluded_at: {event name: the person's times}."""
    stops = []
    for event, from_step, to_step in exclusions:
        if from_step not in step_times:
            continue
        start, end = step_times[from_step], step_times.get(to_step)
        if any(start < at and (at < end if end is not None else at <= window_end)
               for at in excluded_at.get(event, [])):
            stops.append(from_step)
    return min(stops, default=None)


def reference_progress(stream, name):
    """Each person's best attempt, the step count, and how many attempts an exclusion stopped."""
    by_event, step_count, window, exclusions = funnel_definition(name)
    excluded_events = {event for event, _, _ in exclusions}
    excluded = {person: group.groupby("event_name").occurred_at.apply(list).to_dict()
                for person, group in stream[stream.event_name.isin(excluded_events)].groupby("person_id")}
    frame = stream[stream.event_name.isin(by_event)].copy()
    frame["first_step"] = frame.event_name.map(lambda e: min(by_event[e]))
    frame = frame.sort_values(["person_id", "occurred_at", "first_step", "event_id"])
    best, stopped, attempts = {}, 0, []
    for person, group in frame.groupby("person_id", sort=False):
        rows = list(zip(group.event_name, group.occurred_at, group.event_id))
        for start, (event, entry_at, entry_id) in enumerate(rows):
            if 1 not in by_event[event]:
                continue
            reached, position, step_times, step_ids = 1, start, {1: entry_at}, {1: entry_id}
            for step in range(2, step_count + 1):
                position = next((i for i in range(position + 1, len(rows))
                                 if step in by_event[rows[i][0]]), None)
                if position is None or rows[position][1] > entry_at + window:
                    break
                reached, step_times[step], step_ids[step] = step, rows[position][1], rows[position][2]
            stop = excluded_step(step_times, entry_at + window, exclusions, excluded.get(person, {}))
            if stop is not None and stop < reached:
                reached, stopped = stop, stopped + 1
            key = (-reached, entry_at, entry_id)
            attempts.append((person, reached, entry_at, entry_id))
            if person not in best or key < best[person][0]:
                best[person] = (key, {step: at for step, at in step_times.items() if step <= reached},
                                {step: at for step, at in step_ids.items() if step <= reached})
    _ATTEMPTS[name] = pd.DataFrame(attempts, columns=["person_id", "reached", "entry_at", "entry_id"])
    return pd.DataFrame([(p, -k[0], k[1], times, ids) for p, (k, times, ids) in best.items()],
                        columns=["person_id", "furthest_step", "entry_at", "step_times", "step_ids"]), step_count, stopped


_REFERENCES = {}
_ATTEMPTS = {}  # every attempt of a funnel: person_id, reached, entry_at, entry_id


def cached_reference(stream, name):
    if name not in _REFERENCES:
        _REFERENCES[name] = reference_progress(stream, name)
    return _REFERENCES[name]


@pytest.mark.parametrize("funnel", ["checkout", "aarrr", "aida"])
def test_funnel_matches_pandas(demo_build, person_stream, funnel):
    expected, step_count, stopped = cached_reference(person_stream, funnel)
    actual = query(demo_build, f"""
        select person_id, furthest_step, entry_at from marts.customer_funnel_progress
        where funnel_name = '{funnel}' order by person_id""")
    merged = expected.merge(actual, on="person_id", how="outer", suffixes=("_pandas", "_dbt"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    assert (merged.furthest_step_pandas == merged.furthest_step_dbt).all()
    assert (merged.entry_at_pandas == merged.entry_at_dbt).all()

    counts = Counter(expected.furthest_step)
    reached = [sum(c for s, c in counts.items() if s >= n) for n in range(1, step_count + 1)]
    mart = query(demo_build, f"""
        select step_number, people_reached, people_entered from marts.funnel_conversion
        where funnel_name = '{funnel}' order by step_number""")
    assert mart.people_reached.tolist() == reached
    assert (mart.people_entered == len(expected)).all()
    assert reached[-1] > 0 and reached[-1] < reached[0]  # a funnel that converts some, not all
    if funnel_definition(funnel)[3]:  # the seeded exclusions stop some attempts (most people have another)
        assert stopped > 0


@pytest.mark.parametrize("funnel", ["checkout", "aida"])
def test_trends_match_pandas(demo_build, person_stream, funnel):
    """Per day, week and month of entry: each person's best attempt that entered in the
    period (furthest, then earliest), counted at every step it reached."""
    _, step_count, _ = cached_reference(person_stream, funnel)
    attempts = _ATTEMPTS[funnel].copy()
    periods = {"day": attempts.entry_at.dt.floor("D"),
               "week": (attempts.entry_at.dt.floor("D") - pd.to_timedelta(attempts.entry_at.dt.weekday, unit="D")),
               "month": attempts.entry_at.dt.to_period("M").dt.start_time}
    mart = query(demo_build, f"""
        select period_grain, period_start, step_number, people_entered, people_reached
        from marts.funnel_conversion_trends where funnel_name = '{funnel}'""")
    mart["period_start"] = pd.to_datetime(mart.period_start)
    for grain, start in periods.items():
        attempts["period_start"] = start
        best = (attempts.sort_values(["reached", "entry_at", "entry_id"], ascending=[False, True, True])
                .drop_duplicates(["person_id", "period_start"]))
        expected = pd.DataFrame([(period, n, len(group), int((group.reached >= n).sum()))
                                 for period, group in best.groupby("period_start")
                                 for n in range(1, step_count + 1)],
                                columns=["period_start", "step_number", "people_entered", "people_reached"])
        actual = (mart[mart.period_grain == grain].drop(columns="period_grain")
                  .sort_values(["period_start", "step_number"]).reset_index(drop=True))
        assert len(actual) == len(expected) > step_count, grain
        pd.testing.assert_frame_equal(actual, expected, check_dtype=False)
    # a person entering in two months counts in both: more month entrants than people
    months = mart[(mart.period_grain == "month") & (mart.step_number == 1)].people_entered.sum()
    assert months > attempts.person_id.nunique()


@pytest.mark.parametrize("funnel", ["checkout", "aarrr"])
def test_platform_breakdowns_match_pandas(demo_build, person_stream, funnel):
    """The default breakdowns by platform: the platform of the best attempt's entry event
    (first_touch) and of its furthest step's event (last_touch; orders have none: unknown)."""
    expected, step_count, _ = cached_reference(person_stream, funnel)
    platform = person_stream.set_index("event_id").platform.fillna("unknown").to_dict()
    for attribution, step_of in [("first_touch", lambda row: 1), ("last_touch", lambda row: row.furthest_step)]:
        values = expected.apply(lambda row: platform[row.step_ids[step_of(row)]], axis=1)
        rows = [(value, n, int(((values == value) & (expected.furthest_step >= n)).sum()))
                for value in sorted(values.unique()) for n in range(1, step_count + 1)]
        mart = query(demo_build, f"""
            select breakdown_value, step_number, people_reached from marts.funnel_conversion_by_breakdown
            where funnel_name = '{funnel}' and breakdown_dimension = 'platform'
              and breakdown_attribution = '{attribution}'
            order by breakdown_value, step_number""")
        assert list(mart.itertuples(index=False, name=None)) == rows, attribution
    assert len(set(expected.apply(lambda row: platform[row.step_ids[row.furthest_step]], axis=1))) > 1


def time_bin(microseconds, bin_seconds):
    """The histogram bin of a time, in exact integers: width bins, else bins doubling from 1 s."""
    if bin_seconds:
        return microseconds // (bin_seconds * 10**6)
    return (microseconds // 10**6).bit_length()  # 2^(n-1) <= seconds < 2^n, 0 below one second


@pytest.mark.parametrize("funnel", ["checkout", "aarrr", "aida"])
def test_time_to_convert_matches_numpy(demo_build, person_stream, funnel):
    """Percentiles (numpy's linear interpolation) and histogram bins of the times between
    every pair of steps of the pandas reference's counted attempts equal the two marts."""
    import numpy as np

    expected, step_count, _ = cached_reference(person_stream, funnel)
    with open(PROJECT_DIR / "seeds" / "funnel_settings.csv") as handle:
        settings = next(row for row in csv.DictReader(handle) if row["funnel_name"] == funnel)
    bin_seconds = int(settings["time_to_convert_bin_seconds"]) if settings["time_to_convert_bin_seconds"] else None
    times = {}
    for step_times in expected.step_times:
        for a in step_times:
            for b in step_times:
                if a < b:
                    delta = step_times[b] - step_times[a]
                    times.setdefault((a, b), []).append(delta.days * 86400 * 10**6 + delta.seconds * 10**6
                                                        + delta.microseconds)
    summary = query(demo_build, f"""
        select * from marts.funnel_time_to_convert where funnel_name = '{funnel}' order by from_step, to_step""")
    assert [(int(a), int(b)) for a, b in zip(summary.from_step, summary.to_step)] == sorted(times)
    assert len(times) == step_count * (step_count - 1) // 2
    for row in summary.itertuples():
        values = np.array(times[(row.from_step, row.to_step)], dtype="int64")
        assert row.converters == len(values)
        for percentile in (25, 50, 75, 90, 95):
            assert getattr(row, f"p{percentile}_seconds") == pytest.approx(
                np.quantile(values, percentile / 100) / 1e6, rel=1e-12, abs=1e-9)
        assert row.mean_seconds == pytest.approx(values.mean() / 1e6, rel=1e-12)

    histogram = query(demo_build, f"""
        select from_step, to_step, bin_number, converters from marts.funnel_time_to_convert_histogram
        where funnel_name = '{funnel}' and converters > 0""")
    actual = {(int(r.from_step), int(r.to_step), int(r.bin_number)): int(r.converters) for r in histogram.itertuples()}
    reference = Counter((a, b, time_bin(us, bin_seconds)) for (a, b), values in times.items() for us in values)
    assert actual == dict(reference)
    assert len({key[2] for key in reference}) > 3  # the times spread over several bins


@pytest.mark.parametrize("funnel", ["checkout", "aida"])
def test_conversion_drivers_match_pandas(demo_build, person_stream, funnel):
    """The four counts and the odds ratio per event name, from the pandas reference's
    counted attempts and the person stream: the span is after the entry, before the last
    step's event for converters, up to the window's end (inclusive) for the others; the
    funnel's step events are not drivers."""
    expected, step_count, _ = cached_reference(person_stream, funnel)
    by_event, _, window, _ = funnel_definition(funnel)
    attempts = expected.assign(
        is_converter=expected.furthest_step == step_count,
        span_end=[times[step_count] if furthest == step_count else entry + window
                  for times, furthest, entry in zip(expected.step_times, expected.furthest_step, expected.entry_at)])
    events = person_stream[~person_stream.event_name.isin(by_event)].merge(
        attempts[["person_id", "entry_at", "is_converter", "span_end"]], on="person_id")
    inside = events[(events.occurred_at > events.entry_at)
                    & ((events.is_converter & (events.occurred_at < events.span_end))
                       | (~events.is_converter & (events.occurred_at <= events.span_end)))]
    did = inside.drop_duplicates(["person_id", "event_name"])
    converters, non_converters = int(attempts.is_converter.sum()), int((~attempts.is_converter).sum())
    reference = {}
    for event, group in did.groupby("event_name"):
        cd, nd = int(group.is_converter.sum()), int((~group.is_converter).sum())
        cn, nn = converters - cd, non_converters - nd
        reference[event] = (cd, cn, nd, nn, (cd + 0.5) * (nn + 0.5) / ((cn + 0.5) * (nd + 0.5)))
    mart = query(demo_build, f"select * from marts.funnel_conversion_drivers where funnel_name = '{funnel}'")
    actual = {r.event_name: (r.converters_did, r.converters_did_not, r.non_converters_did, r.non_converters_did_not,
                             r.odds_ratio) for r in mart.itertuples()}
    assert actual.keys() == reference.keys() and len(reference) >= 3
    for event, cells in reference.items():
        assert actual[event][:4] == cells[:4], event
        assert actual[event][4] == pytest.approx(cells[4], rel=1e-12), event
    ranked = mart.sort_values("odds_ratio_rank")
    assert ranked.odds_ratio.is_monotonic_decreasing and ranked.odds_ratio_rank.tolist() == list(range(1, len(mart) + 1))


def test_ordered_funnels_match_clickhouse_window_funnel(demo_build, person_stream):
    """People reaching each step equal ClickHouse's windowFunnel (chdb, in-process: the
    engine behind PostHog's funnels) over the same person stream: the furthest level any
    chain reaches, each chain within the window from its first step, inclusive."""
    import chdb

    funnels = comparable_funnels()
    assert {"checkout", "aisas", "aarrr"} <= set(funnels)
    stream = person_stream[["person_id", "event_name"]].assign(
        ts=person_stream.occurred_at.astype("datetime64[us]").astype("int64") // 10**6)
    for name, (by_step, window) in funnels.items():
        levels = chdb.query(window_funnel_sql(by_step, window, "Python(stream)", "toDateTime(ts)"), "DataFrame")
        reached = [int(levels.people[levels.level >= n].sum()) for n in range(1, len(by_step) + 1)]
        mart = query(demo_build, f"select people_reached from marts.funnel_conversion "
                                 f"where funnel_name = '{name}' order by step_number")
        assert mart.people_reached.tolist() == reached, name
