"""Stickiness and multi-touch attribution on the demo data against independent pandas
implementations written from DECISIONS.md: stickiness from the raw orders (the default
activity is a completed order), attribution from the project's sessions and orders (the
session is the one definition the models share; the touch rules and credits are
recomputed here)."""
import numpy as np
import pandas as pd
import pytest

from conftest import PROJECT_DIR, query
from reference import staged_orders

DEMO_DIR = PROJECT_DIR / "data" / "demo"
AS_OF = pd.Timestamp("2025-12-31")
LOOKBACK = pd.Timedelta(days=30)
HALF_LIFE_SECONDS = 7 * 86400


def test_stickiness_equals_pandas_for_every_week_and_month(demo_build):
    orders = staged_orders(DEMO_DIR)
    orders["day"] = orders.ordered_at.dt.normalize()
    days = orders[(orders.order_status == "completed") & (orders.day <= AS_OF)][["customer_id", "day"]]
    days = days.drop_duplicates()
    expected = []
    for grain, start in [("week", days.day - pd.to_timedelta(days.day.dt.weekday, unit="D")),
                         ("month", days.day.dt.to_period("M").dt.start_time)]:
        per_customer = days.assign(period_start=start).groupby(["period_start", "customer_id"]).size()
        for period_start, counts in per_customer.groupby(level="period_start"):
            length = 7 if grain == "week" else period_start.days_in_month
            histogram = counts.value_counts()
            for k in range(1, length + 1):
                expected.append({"period_grain": grain, "period_start": period_start, "active_days": k,
                                 "customers": int(histogram.get(k, 0)), "active_customers": len(counts),
                                 "customers_k_or_more": int((counts >= k).sum()),
                                 "is_period_complete": period_start + pd.Timedelta(days=length - 1) <= AS_OF})
    expected = pd.DataFrame(expected)
    got = query(demo_build, "select * from marts.stickiness")
    got["period_start"] = pd.to_datetime(got.period_start)
    merged = expected.merge(got, on=["period_grain", "period_start", "active_days"], how="outer",
                            suffixes=("", "_mart"), indicator=True)
    assert (merged._merge == "both").all(), merged[merged._merge != "both"].head()
    for column in ["customers", "active_customers", "customers_k_or_more", "is_period_complete"]:
        assert (merged[column] == merged[f"{column}_mart"]).all(), column
    assert np.allclose(merged.share_k_or_more, merged.customers_k_or_more / merged.active_customers)
    assert (got.active_days > 1).any() and got[got.active_days > 1].customers.sum() > 0


@pytest.fixture(scope="module")
def expected_credits(demo_build):
    orders = query(demo_build, """select order_id, customer_id, ordered_at, cast(amount as double) as revenue
                                  from intermediate.int_orders_as_of where is_completed""")
    sessions = query(demo_build, """select session_id, person_id as customer_id, started_at, channel
                                    from intermediate.int_sessions where channel is not null""")
    touches = orders.merge(sessions, on="customer_id")
    touches = touches[(touches.started_at <= touches.ordered_at) & (touches.started_at >= touches.ordered_at - LOOKBACK)]
    touches = touches.sort_values(["order_id", "started_at", "session_id"])
    rows = []
    for order_id, group in touches.groupby("order_id", sort=False):
        n = len(group)
        seconds = (group.ordered_at - group.started_at).dt.total_seconds().to_numpy()
        decay = 0.5 ** (seconds / HALF_LIFE_SECONDS)
        position = np.full(n, 0.2 / (n - 2) if n > 2 else 0.0)
        position[0] = position[-1] = 0.4 if n > 2 else 1.0 / n
        credits = {"first_touch": np.eye(1, n, 0)[0], "last_touch": np.eye(1, n, n - 1)[0],
                   "linear": np.full(n, 1.0 / n), "position_based": position, "time_decay": decay / decay.sum()}
        for model, credit in credits.items():
            rows += [{"order_id": order_id, "attribution_model": model, "session_id": session, "channel": channel,
                      "credit": c, "revenue": revenue * c}
                     for session, channel, c, revenue in zip(group.session_id, group.channel, credit, group.revenue)]
    untouched = orders[~orders.order_id.isin(touches.order_id)]
    for model in ["first_touch", "last_touch", "linear", "position_based", "time_decay"]:
        rows += [{"order_id": order_id, "attribution_model": model, "session_id": None, "channel": "(none)",
                  "credit": 1.0, "revenue": revenue} for order_id, revenue in zip(untouched.order_id, untouched.revenue)]
    expected = pd.DataFrame(rows)
    assert len(untouched) > 0 and touches.groupby("order_id").size().max() >= 3  # every rule is exercised
    return expected


def test_attribution_credits_equal_pandas_for_every_order(demo_build, expected_credits):
    got = query(demo_build, "select order_id, attribution_model, session_id, channel, credit, attributed_revenue"
                            " from marts.order_attribution_credits")
    key = ["order_id", "attribution_model", "session_id"]
    merged = expected_credits.fillna({"session_id": ""}).merge(got.fillna({"session_id": ""}), on=key, how="outer",
                                                                suffixes=("", "_mart"), indicator=True)
    assert (merged._merge == "both").all(), merged[merged._merge != "both"].head()
    assert (merged.channel == merged.channel_mart).all()
    assert np.allclose(merged.credit, merged.credit_mart, rtol=1e-12, atol=1e-15)
    assert np.allclose(merged.revenue, merged.attributed_revenue, rtol=1e-12, atol=1e-9)
    sums = got.groupby(["order_id", "attribution_model"]).credit.sum()
    assert np.allclose(sums, 1.0, rtol=0, atol=1e-12)


def test_channel_attribution_equals_pandas(demo_build, expected_credits):
    credited = expected_credits[expected_credits.credit > 0]
    expected = credited.groupby(["attribution_model", "channel"]).agg(
        attributed_orders=("credit", "sum"), attributed_revenue=("revenue", "sum"),
        touched_orders=("order_id", "nunique")).reset_index()
    totals = expected.groupby("attribution_model")[["attributed_orders", "attributed_revenue"]].transform("sum")
    expected["share_of_orders"] = expected.attributed_orders / totals.attributed_orders
    got = query(demo_build, "select attribution_model, channel, attributed_orders, "
                            "cast(attributed_revenue as double) as attributed_revenue, touched_orders, share_of_orders"
                            " from marts.channel_attribution")
    merged = expected.merge(got, on=["attribution_model", "channel"], how="outer", suffixes=("", "_mart"),
                            indicator=True)
    assert (merged._merge == "both").all(), merged[merged._merge != "both"]
    assert (merged.touched_orders == merged.touched_orders_mart).all()
    assert np.allclose(merged.attributed_orders, merged.attributed_orders_mart, rtol=1e-12)
    assert ((merged.attributed_revenue - merged.attributed_revenue_mart).abs() <= 0.005 + 1e-6).all()
    assert np.allclose(merged.share_of_orders, merged.share_of_orders_mart, rtol=1e-12)
    # every model attributes every completed order once
    completed = query(demo_build, "select count(*) as n from intermediate.int_orders_as_of where is_completed").n[0]
    assert np.allclose(got.groupby("attribution_model").attributed_orders.sum(), completed, rtol=0, atol=1e-6)
    assert set(got.attribution_model) == {"first_touch", "last_touch", "linear", "position_based", "time_decay"}


def lifecycle_reference(days: pd.DataFrame, grain: str) -> pd.DataFrame:
    """PostHog's lifecycle from active days, written from DECISIONS.md: status of each
    active period from the previous active one, dormant in the period after an active one
    that is not active, up to the as-of period."""
    def start(day):
        if grain == "day":
            return day
        if grain == "week":
            return day - pd.to_timedelta(day.dt.weekday, unit="D")
        return day.dt.to_period("M").dt.start_time

    step = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1)}[grain]
    as_of_start = start(pd.Series([AS_OF])).iloc[0]
    rows = []
    periods = days.assign(period_start=start(days.day)).drop_duplicates(["customer_id", "period_start"])
    for _, group in periods.sort_values("period_start").groupby("customer_id"):
        active = list(group.period_start)
        for i, period in enumerate(active):
            status = "new" if i == 0 else "returning" if active[i - 1] + step == period else "resurrecting"
            rows.append((period, status))
            following = period + step
            if (i + 1 == len(active) or active[i + 1] != following) and following <= as_of_start:
                rows.append((following, "dormant"))
    counted = pd.DataFrame(rows, columns=["period_start", "lifecycle_status"]).value_counts().rename("expected")
    return counted.reset_index()


@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_lifecycle_by_period_equals_pandas_at_every_grain(demo_build, grain):
    orders = staged_orders(DEMO_DIR)
    orders["day"] = orders.ordered_at.dt.normalize()
    days = orders[(orders.order_status == "completed") & (orders.day <= AS_OF)][["customer_id", "day"]]
    expected = lifecycle_reference(days, grain)
    got = query(demo_build, f"select period_start, lifecycle_status, customers from marts.lifecycle_by_period"
                            f" where period_grain = '{grain}' and customers > 0")
    got["period_start"] = pd.to_datetime(got.period_start)
    merged = expected.merge(got, on=["period_start", "lifecycle_status"], how="outer")
    assert len(merged) == len(expected) > 20 and (merged.customers == merged.expected).all(), \
        merged[merged.customers != merged.expected].head()
    assert set(merged.lifecycle_status) == {"new", "returning", "resurrecting", "dormant"}


def test_lifecycle_by_month_equals_the_monthly_lifecycle_mart(demo_build):
    got = query(demo_build, """
        select period_start as activity_month, lifecycle_status, customers from marts.lifecycle_by_period
        where period_grain = 'month' and customers > 0""")
    monthly = query(demo_build, "select activity_month, lifecycle_status, customers from marts.lifecycle_summary"
                                " where lifecycle_status != 'inactive' and customers > 0")
    merged = monthly.merge(got, on=["activity_month", "lifecycle_status"], how="outer", suffixes=("", "_by_period"))
    assert len(merged) == len(monthly) and (merged.customers == merged.customers_by_period).all()
