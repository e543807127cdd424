"""Retention (the four day-based measures), cohorts, lifecycle and churn on the demo data
equal an independent pandas implementation written from DECISIONS.md (day N = calendar
days after the start date; month N = calendar months after the cohort month; churned =
no order for 180 days)."""
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from conftest import PROJECT_DIR, query
from reference import customers_mart, staged_orders

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


def reference_retention_by_day(purchases):
    days = purchases[["customer_id", "order_date"]].drop_duplicates()
    start = days.groupby("customer_id").order_date.min().rename("start")
    days = days.join(start, on="customer_id")
    days["day"] = (days.order_date - days.start).dt.days
    rows = []
    for n in DAYS:
        per = days.groupby("customer_id").agg(
            start=("start", "first"),
            on=("day", lambda d: (d == n).any()),
            within=("day", lambda d: ((d >= 1) & (d <= n)).any()),
            after=("day", lambda d: (d >= n).any()))
        per["observed"] = per.start + pd.Timedelta(days=n) <= AS_OF
        per["day_number"] = n
        rows.append(per)
    per = pd.concat(rows)
    out = []
    for grain, key in [("day", per.start), ("week", per.start - pd.to_timedelta(per.start.dt.weekday, unit="D"))]:
        grouped = per.assign(cohort_start_date=key, after_observed=per.after & per.observed).groupby(
            ["cohort_start_date", "day_number"]).agg(
            cohort_size=("on", "size"), on_day_retained=("on", "sum"), within_retained=("within", "sum"),
            on_or_after_eligible=("observed", "sum"), on_or_after_retained=("after_observed", "sum"))
        grouped["cohort_grain"] = grain
        out.append(grouped.reset_index())
    result = pd.concat(out)
    result["is_complete"] = result.on_or_after_eligible == result.cohort_size
    return result


def test_retention_by_day_equals_pandas(demo_build, purchases):
    expected = reference_retention_by_day(purchases)
    actual = query(demo_build, "select * from marts.retention_by_day")
    keys = ["cohort_grain", "cohort_start_date", "day_number"]
    columns = ["cohort_size", "on_day_retained", "within_retained", "on_or_after_eligible",
               "on_or_after_retained", "is_complete"]
    actual["cohort_start_date"] = pd.to_datetime(actual.cohort_start_date)
    merged = expected.merge(actual, on=keys, how="outer", suffixes=("_expected", ""), indicator=True)
    assert (merged._merge == "both").all(), merged[merged._merge != "both"].head()
    for column in columns:
        mismatched = merged[merged[column].astype(int) != merged[f"{column}_expected"].astype(int)]
        assert mismatched.empty, (column, mismatched[keys + [column, f"{column}_expected"]].head())
    assert (actual.on_day_retention_rate == actual.on_day_retained / actual.cohort_size).all()


def test_retention_by_bracket_equals_pandas(demo_build, purchases):
    days = purchases[["customer_id", "order_date"]].drop_duplicates()
    days = days.join(days.groupby("customer_id").order_date.min().rename("start"), on="customer_id")
    days["day"] = (days.order_date - days.start).dt.days
    rows = []
    for first, last in BRACKETS:
        per = days.groupby("customer_id").agg(
            start=("start", "first"), returned=("day", lambda d: d.between(first, last).any()))
        per["observed"] = per.start + pd.Timedelta(days=last) <= AS_OF
        per["bracket_label"] = f"{first}-{last}"
        rows.append(per)
    per = pd.concat(rows)
    expected = []
    for grain, key in [("day", per.start), ("week", per.start - pd.to_timedelta(per.start.dt.weekday, unit="D"))]:
        grouped = per.assign(cohort_start_date=key).groupby(["cohort_start_date", "bracket_label"]).agg(
            cohort_size=("returned", "size"), retained_customers=("returned", "sum"), observed=("observed", "sum"))
        grouped["cohort_grain"] = grain
        expected.append(grouped.reset_index())
    expected = pd.concat(expected)
    expected["is_complete"] = expected.observed == expected.cohort_size
    actual = query(demo_build, "select * from marts.retention_by_bracket")
    actual["cohort_start_date"] = pd.to_datetime(actual.cohort_start_date)
    keys = ["cohort_grain", "cohort_start_date", "bracket_label"]
    merged = expected.merge(actual, on=keys, how="outer", suffixes=("_expected", ""), indicator=True)
    assert (merged._merge == "both").all(), merged[merged._merge != "both"].head()
    for column in ["cohort_size", "retained_customers", "is_complete"]:
        mismatched = merged[merged[column].astype(int) != merged[f"{column}_expected"].astype(int)]
        assert mismatched.empty, (column, mismatched[keys + [column, f"{column}_expected"]].head())


def reference_cohort_retention_month(purchases):
    channels = customers_mart(DEMO_DIR, AS_OF)["acquisition_channel"]
    frame = purchases.copy()
    frame["month"] = frame.order_date.dt.to_period("M")
    cohort = frame.groupby("customer_id").month.min().rename("cohort")
    frame = frame.join(cohort, on="customer_id")
    frame["period"] = (frame.month - frame.cohort).apply(lambda offset: offset.n)
    last_month = AS_OF.to_period("M")
    rows = []
    for breakdown in ["(all)", "channel"]:
        frame["channel"] = "(all)" if breakdown == "(all)" else frame.customer_id.map(channels)
        members = frame.drop_duplicates("customer_id")[["customer_id", "cohort", "channel"]]
        for (cohort_month, channel), group in members.groupby(["cohort", "channel"]):
            ids = set(group.customer_id)
            activity = frame[frame.customer_id.isin(ids)]
            last_active = activity.groupby("customer_id").period.max()
            cumulative = 0.0
            for period in range((last_month - cohort_month).n + 1):
                in_period = activity[activity.period == period]
                revenue = round(float(in_period.amount.sum()), 2)
                cumulative = round(cumulative + revenue, 2)
                rows.append({
                    "cohort_start_date": cohort_month.to_timestamp(), "acquisition_channel": channel,
                    "period_number": period, "cohort_size": len(ids),
                    "active_customers": in_period.customer_id.nunique(),
                    "unbounded_active_customers": int((last_active >= period).sum()),
                    "period_revenue": revenue,
                    "cumulative_revenue_per_customer": per_customer(cumulative, len(ids)),
                    "is_complete": (cohort_month + period).to_timestamp(how="end").normalize() <= AS_OF,
                })
    return pd.DataFrame(rows)


def test_cohort_retention_month_equals_pandas(demo_build, purchases):
    expected = reference_cohort_retention_month(purchases)
    actual = query(demo_build, "select * from marts.cohort_retention where cohort_grain = 'month'")
    actual["cohort_start_date"] = pd.to_datetime(actual.cohort_start_date)
    keys = ["cohort_start_date", "acquisition_channel", "period_number"]
    merged = expected.merge(actual, on=keys, how="outer", suffixes=("_expected", ""), indicator=True)
    assert (merged._merge == "both").all(), merged[merged._merge != "both"][keys + ["_merge"]].head()
    for column in ["cohort_size", "active_customers", "unbounded_active_customers", "is_complete"]:
        mismatched = merged[merged[column] != merged[f"{column}_expected"]]
        assert mismatched.empty, (column, mismatched[keys + [column, f"{column}_expected"]].head())
    for column in ["period_revenue", "cumulative_revenue_per_customer"]:
        difference = (merged[column].astype(float) - merged[f"{column}_expected"]).abs()
        assert (difference < 0.005).all(), (column, merged.loc[difference >= 0.005, keys + [column]].head())
    period_zero = actual[actual.period_number == 0]
    assert (period_zero.retention_rate == 1).all()


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
