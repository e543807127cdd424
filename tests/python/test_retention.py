"""Retention (the four day-based measures), cohorts, lifecycle and churn on the demo data
equal an independent pandas implementation written from DECISIONS.md (day N = calendar
days after the start date; month N = calendar months after the cohort month; churned =
no order for 180 days)."""
import shutil
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from conftest import PROJECT_DIR, query, run_dbt
from reference import customers_mart, staged_customers, staged_orders

DEMO_DIR = PROJECT_DIR / "data" / "demo"
AS_OF = pd.Timestamp("2025-12-31")
DAYS = [1, 3, 7, 14, 30, 60, 90]
BRACKETS = [(1, 3), (4, 7), (8, 14), (15, 30)]


@pytest.fixture(scope="module")
def purchases():
    orders = staged_orders(DEMO_DIR)
    orders["order_date"] = orders.ordered_at.dt.normalize()
    done = orders[(orders.order_status == "completed") & (orders.order_date <= AS_OF)]
    return done[["customer_id", "order_date", "amount"]]


def per_customer(total: float, customers: int) -> float:
    """Exact money quotient rounded half up to the cent (DECISIONS.md)."""
    return float((Decimal(f"{total:.2f}") / customers).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def monday(dates: pd.Series) -> pd.Series:
    return dates - pd.to_timedelta(dates.dt.weekday, unit="D")


def day_entries(purchases) -> pd.DataFrame:
    """Entries of the day-based marts: first_time = each customer's first order day;
    recurring = every order day. `opens_week` marks the first entry of its Monday week."""
    days = purchases[["customer_id", "order_date"]].drop_duplicates().rename(columns={"order_date": "start"})
    first = days.groupby("customer_id", as_index=False).start.min().assign(retention_type="first_time")
    recurring = days.assign(retention_type="recurring")
    entries = pd.concat([first, recurring], ignore_index=True)
    week = monday(entries.start)
    entries["opens_week"] = entries.start == entries.assign(week=week).groupby(
        ["retention_type", "customer_id", "week"]).start.transform("min")
    return entries


def day_windows(purchases, windows) -> pd.DataFrame:
    """One row per entry per window (label, first, last or None): returned inside it
    (an order day first..last days after the entry), observed (start + last, or first
    when open-ended, <= as of)."""
    entries = day_entries(purchases)
    days = purchases[["customer_id", "order_date"]].drop_duplicates()
    pairs = entries.merge(days, on="customer_id")
    pairs["day"] = (pairs.order_date - pairs.start).dt.days
    rows = []
    for label, first, last in windows:
        inside = (pairs.day >= first) & ((pairs.day <= last) if last is not None else True)
        hit = pairs[inside].groupby(["retention_type", "customer_id", "start"]).size().rename("hits")
        frame = entries.join(hit, on=["retention_type", "customer_id", "start"])
        frame["returned"] = frame.hits.notna()
        frame["observed"] = frame.start + pd.Timedelta(days=last if last is not None else first) <= AS_OF
        frame["window"] = label
        rows.append(frame.drop(columns="hits"))
    return pd.concat(rows, ignore_index=True)


def cohort_rows(frame, attributes) -> pd.DataFrame:
    """The day and week cohorts of day-window rows, once for (all) and once per
    attribute: `attributes` maps a name to a function (customers, cohort starts) -> values."""
    out = []
    for grain in ["day", "week"]:
        rows = frame if grain == "day" else frame[frame.opens_week]
        rows = rows.assign(cohort_grain=grain, cohort_start_date=rows.start if grain == "day" else monday(rows.start))
        out.append(rows.assign(breakdown="(all)", breakdown_value="(all)"))
        for name, value in attributes.items():
            out.append(rows.assign(breakdown=name, breakdown_value=value(rows.customer_id, rows.cohort_start_date)))
    return pd.concat(out, ignore_index=True)


def channel_of(customers, _starts):
    return customers.map(customers_mart(DEMO_DIR, AS_OF)["acquisition_channel"]).to_numpy()


def reference_retention_by_day(purchases, attributes):
    windows = [(f"{measure}|{n}", first, last) for n in DAYS
               for measure, first, last in [("on", n, n), ("within", 1, n), ("after", n, None)]]
    frame = cohort_rows(day_windows(purchases, windows), attributes)
    frame[["measure", "day_number"]] = frame.window.str.split("|", expand=True)
    frame["day_number"] = frame.day_number.astype(int)
    wide = frame.pivot_table(
        index=["retention_type", "breakdown", "breakdown_value", "cohort_grain", "cohort_start_date", "day_number",
               "customer_id", "start"], columns="measure", values=["returned", "observed"], aggfunc="first")
    wide.columns = [f"{value}_{measure}" for value, measure in wide.columns]
    wide = wide.reset_index()
    wide["after_retained"] = wide.returned_after & wide.observed_after
    result = wide.groupby(["retention_type", "breakdown", "breakdown_value", "cohort_grain", "cohort_start_date",
                           "day_number"]).agg(
        cohort_size=("customer_id", "size"), on_day_retained=("returned_on", "sum"),
        within_retained=("returned_within", "sum"), on_or_after_eligible=("observed_after", "sum"),
        on_or_after_retained=("after_retained", "sum")).reset_index()
    result["is_complete"] = result.on_or_after_eligible == result.cohort_size
    return result


def reference_retention_by_bracket(purchases, attributes):
    frame = cohort_rows(day_windows(purchases, [(f"{first}-{last}", first, last) for first, last in BRACKETS]),
                        attributes)
    result = frame.groupby(["retention_type", "breakdown", "breakdown_value", "cohort_grain", "cohort_start_date",
                            "window"]).agg(cohort_size=("returned", "size"), retained_customers=("returned", "sum"),
                                           observed=("observed", "sum")).reset_index()
    result["is_complete"] = result.observed == result.cohort_size
    return result.rename(columns={"window": "bracket_label"})


def assert_counts_equal(expected, actual, keys, columns):
    actual = actual.copy()
    actual["cohort_start_date"] = pd.to_datetime(actual.cohort_start_date)
    merged = expected.merge(actual, on=keys, how="outer", suffixes=("_expected", ""), indicator=True)
    assert (merged._merge == "both").all(), merged[merged._merge != "both"][keys + ["_merge"]].head()
    for column in columns:
        mismatched = merged[merged[column].astype(int) != merged[f"{column}_expected"].astype(int)]
        assert mismatched.empty, (column, mismatched[keys + [column, f"{column}_expected"]].head())


DAY_KEYS = ["retention_type", "breakdown", "breakdown_value", "cohort_grain", "cohort_start_date"]


def test_retention_by_day_equals_pandas(demo_build, purchases):
    expected = reference_retention_by_day(purchases, {"acquisition_channel": channel_of})
    actual = query(demo_build, "select * from marts.retention_by_day")
    assert_counts_equal(expected, actual, DAY_KEYS + ["day_number"],
                        ["cohort_size", "on_day_retained", "within_retained", "on_or_after_eligible",
                         "on_or_after_retained", "is_complete"])
    assert (actual.on_day_retention_rate == actual.on_day_retained / actual.cohort_size).all()
    assert set(actual.retention_type) == {"first_time", "recurring"}


def test_retention_by_bracket_equals_pandas(demo_build, purchases):
    expected = reference_retention_by_bracket(purchases, {"acquisition_channel": channel_of})
    actual = query(demo_build, "select * from marts.retention_by_bracket")
    assert_counts_equal(expected, actual, DAY_KEYS + ["bracket_label"],
                        ["cohort_size", "retained_customers", "is_complete"])


def month_entries(purchases) -> pd.DataFrame:
    """Entries of the month cohorts: first_time = the first order's month, entered on
    that day; recurring = every month with an order, entered on its first order day."""
    frame = purchases.assign(month=purchases.order_date.dt.to_period("M"))
    recurring = frame.groupby(["customer_id", "month"], as_index=False).order_date.min()
    first = recurring.sort_values("order_date").drop_duplicates("customer_id")
    return pd.concat([first.assign(retention_type="first_time"), recurring.assign(retention_type="recurring")],
                     ignore_index=True).rename(columns={"order_date": "entry", "month": "cohort"})


def reference_cohort_retention_month(purchases, attributes):
    frame = purchases.assign(month=purchases.order_date.dt.to_period("M"))
    entries = month_entries(purchases)
    last_month = AS_OF.to_period("M")
    rows = []
    splits = [entries.assign(breakdown="(all)", breakdown_value="(all)")]
    for name, value in attributes.items():
        splits.append(entries.assign(breakdown=name, breakdown_value=value(
            entries.customer_id, entries.cohort.dt.to_timestamp())))
    entries = pd.concat(splits, ignore_index=True)
    keys = ["retention_type", "breakdown", "breakdown_value", "cohort"]
    for (retention_type, breakdown, value, cohort_month), group in entries.groupby(keys):
        activity = frame.merge(group[["customer_id", "entry"]], on="customer_id")
        activity = activity[activity.order_date >= activity.entry]  # nothing before the entry counts
        activity["period"] = (activity.month - cohort_month).apply(lambda offset: offset.n)
        last_active = activity.groupby("customer_id").period.max()
        size = len(group)
        cumulative = 0.0
        for period in range((last_month - cohort_month).n + 1):
            in_period = activity[activity.period == period]
            revenue = round(float(in_period.amount.sum()), 2)
            cumulative = round(cumulative + revenue, 2)
            rows.append({
                "retention_type": retention_type, "breakdown": breakdown, "breakdown_value": value,
                "cohort_start_date": cohort_month.to_timestamp(), "period_number": period, "cohort_size": size,
                "active_customers": in_period.customer_id.nunique(),
                "unbounded_active_customers": int((last_active >= period).sum()),
                "period_revenue": revenue,
                "cumulative_revenue_per_customer": per_customer(cumulative, size),
                "is_complete": (cohort_month + period).to_timestamp(how="end").normalize() <= AS_OF,
            })
    return pd.DataFrame(rows)


def assert_cohort_retention_equal(expected, actual):
    actual = actual.copy()
    actual["cohort_start_date"] = pd.to_datetime(actual.cohort_start_date)
    keys = ["retention_type", "breakdown", "breakdown_value", "cohort_start_date", "period_number"]
    merged = expected.merge(actual, on=keys, how="outer", suffixes=("_expected", ""), indicator=True)
    assert (merged._merge == "both").all(), merged[merged._merge != "both"][keys + ["_merge"]].head()
    for column in ["cohort_size", "active_customers", "unbounded_active_customers", "is_complete"]:
        mismatched = merged[merged[column] != merged[f"{column}_expected"]]
        assert mismatched.empty, (column, mismatched[keys + [column, f"{column}_expected"]].head())
    for column in ["period_revenue", "cumulative_revenue_per_customer"]:
        difference = (merged[column].astype(float) - merged[f"{column}_expected"]).abs()
        assert (difference < 0.005).all(), (column, merged.loc[difference >= 0.005, keys + [column]].head())


def test_cohort_retention_month_equals_pandas(demo_build, purchases):
    expected = reference_cohort_retention_month(purchases, {"acquisition_channel": channel_of})
    actual = query(demo_build, "select * from marts.cohort_retention where cohort_grain = 'month'")
    assert_cohort_retention_equal(expected, actual)
    period_zero = actual[actual.period_number == 0]
    assert (period_zero.retention_rate == 1).all()
    # a recurring cohort takes in returning customers, so it is larger and retains better
    curve = query(demo_build, "select * from marts.cohort_retention_curve where cohort_grain = 'month'"
                              " and breakdown = '(all)' and period_number = 1").set_index("retention_type")
    assert curve.customers["recurring"] > curve.customers["first_time"]
    assert curve.retention_rate["recurring"] > curve.retention_rate["first_time"]


@pytest.fixture(scope="module")
def other_breakdowns(demo_build, tmp_path_factory):
    """The retention marts rebuilt on a copy of the demo build, split by platform, country
    and the RFM segment at the cohort start."""
    db = tmp_path_factory.mktemp("breakdowns") / demo_build.name
    shutil.copy(demo_build, db)
    run_dbt(["run", "--select", "retention_by_day", "retention_by_bracket", "cohort_retention"], db,
            {"retention_breakdowns": ["acquisition_platform", "country", "rfm_segment"]})
    return db


def test_retention_breakdowns_by_platform_country_and_rfm_segment_equal_pandas(other_breakdowns, purchases):
    customers = customers_mart(DEMO_DIR, AS_OF)
    countries = staged_customers(DEMO_DIR).set_index("customer_id").country
    segments = query(other_breakdowns, "select customer_id, snapshot_date, rfm_segment"
                                       " from intermediate.int_customer_rfm_snapshots")
    segments = segments.assign(snapshot_date=pd.to_datetime(segments.snapshot_date)).set_index(
        ["customer_id", "snapshot_date"]).rfm_segment

    def segment_at(ids, starts):
        # the snapshot of the month end before the cohort start
        month_end = starts.dt.to_period("M").dt.start_time - pd.Timedelta(days=1)
        index = pd.MultiIndex.from_arrays([ids, month_end])
        return segments.reindex(index).fillna("(none)").to_numpy()

    attributes = {
        "acquisition_platform": lambda ids, _: ids.map(customers.acquisition_platform).to_numpy(),
        "country": lambda ids, _: ids.map(countries).fillna("unknown").to_numpy(),
        "rfm_segment": segment_at,
    }
    actual = query(other_breakdowns, "select * from marts.retention_by_bracket")
    assert_counts_equal(reference_retention_by_bracket(purchases, attributes), actual,
                        DAY_KEYS + ["bracket_label"], ["cohort_size", "retained_customers", "is_complete"])
    actual = query(other_breakdowns, "select * from marts.cohort_retention where cohort_grain = 'month'")
    assert_cohort_retention_equal(reference_cohort_retention_month(purchases, attributes), actual)
    split = actual[(actual.breakdown == "rfm_segment") & (actual.retention_type == "recurring")]
    assert split.breakdown_value.nunique() > 3  # returning customers carry a segment
    by_day = query(other_breakdowns, "select * from marts.retention_by_day")
    sizes = by_day.groupby(["breakdown", "retention_type", "cohort_grain", "day_number"]).cohort_size.sum().unstack(0)
    assert (sizes.drop(columns="(all)").eq(sizes["(all)"], axis=0)).all().all()  # each attribute partitions


def test_lifecycle_and_churn_equal_pandas(demo_build, purchases):
    months = purchases.assign(month=purchases.order_date.dt.to_period("M"))[["customer_id", "month"]]
    active = set(map(tuple, months.drop_duplicates().itertuples(index=False)))
    first = months.groupby("customer_id").month.min()
    last_month = AS_OF.to_period("M")
    expected = {}
    for customer, start in first.items():
        for offset in range((last_month - start).n + 1):
            month = start + offset
            now, before = (customer, month) in active, (customer, month - 1) in active
            status = ("new" if now and offset == 0 else "returning" if now and before else
                      "resurrecting" if now else "dormant" if before else "inactive")
            expected[(customer, month.to_timestamp())] = status
    actual = query(demo_build, "select customer_id, activity_month, lifecycle_status"
                               " from marts.customer_lifecycle_monthly")
    actual_map = {(row.customer_id, pd.Timestamp(row.activity_month)): row.lifecycle_status
                  for row in actual.itertuples()}
    assert actual_map == expected

    last = purchases.groupby("customer_id").order_date.max()
    churned = (AS_OF - last).dt.days >= 180
    days = purchases[["customer_id", "order_date"]].drop_duplicates().sort_values(["customer_id", "order_date"])
    gaps = days.groupby("customer_id").order_date.diff().dt.days
    reactivated = (gaps > 180).groupby(days.customer_id).any()
    customers = query(demo_build, "select customer_id, is_churned, is_reactivated from marts.customers"
                                  ).set_index("customer_id").sort_index()
    assert (customers.is_churned == churned.reindex(customers.index)).all()
    assert (customers.is_reactivated == reactivated.reindex(customers.index)).all()
    assert 0 < customers.is_churned.sum() < len(customers) and customers.is_reactivated.sum() > 0
