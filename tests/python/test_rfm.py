"""RFM on the demo data equals an independent pandas implementation, for every customer,
with the default settings and with a window and total-revenue M."""
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from conftest import DB_FILE, PROJECT_DIR, query, run_dbt
from reference import staged_orders

DEMO_DIR = PROJECT_DIR / "data" / "demo"
AS_OF = pd.Timestamp("2025-12-31")


def segment_11(r, f, m):
    """The 11-segment rules of DECISIONS.md, written independently of the seed."""
    if r >= 4 and f >= 4 and m >= 4:
        return "Champions"
    if r == 1 and f >= 4 and m >= 4:
        return "Can't Lose Them"
    if r >= 3 and f >= 4:
        return "Loyal"
    if r == 3 and f == 3:
        return "Need Attention"
    if r >= 4 and f in (2, 3):
        return "Potential Loyalist"
    if r == 5 and f == 1:
        return "New Customers"
    if r == 4 and f == 1:
        return "Promising"
    if r == 3 and f <= 2:
        return "About To Sleep"
    if r <= 2 and f >= 3:
        return "At Risk"
    if r == 2 and f <= 2:
        return "Hibernating"
    return "Lost"


def score(values: pd.Series, higher_is_better: bool) -> pd.Series:
    worse = values.rank(method="min", ascending=higher_is_better) - 1
    return (1 + np.floor(5 * worse / len(values))).astype(int)


def compare_to_mean(values, at_or_above=True) -> pd.Series:
    exact = [Fraction(str(v)) for v in values]
    mean = sum(exact) / len(exact)
    return pd.Series([(v >= mean) if at_or_above else (v <= mean) for v in exact], index=values.index)


def reference_rfm(window_days=None, monetary="average") -> pd.DataFrame:
    orders = staged_orders(DEMO_DIR)
    orders["order_date"] = orders.ordered_at.dt.normalize()
    keep = (orders.order_status == "completed") & (orders.order_date <= AS_OF)
    if window_days:
        keep &= orders.order_date > AS_OF - pd.Timedelta(days=window_days)
    orders = orders[keep]
    rfm = orders.groupby("customer_id").agg(last=("order_date", "max"), purchase_count=("order_id", "count"),
                                            total_revenue=("amount", "sum"))
    rfm["total_revenue"] = rfm.total_revenue.round(2)
    rfm["days_since_last_purchase"] = (AS_OF - rfm["last"]).dt.days
    rfm["avg_order_value"] = [
        float((Decimal(str(t)) / n).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        for t, n in zip(rfm.total_revenue, rfm.purchase_count)]
    m = rfm.avg_order_value if monetary == "average" else rfm.total_revenue
    rfm["r_score"] = score(rfm.days_since_last_purchase, higher_is_better=False)
    rfm["f_score"] = score(rfm.purchase_count, higher_is_better=True)
    rfm["m_score"] = score(m, higher_is_better=True)
    rfm["rfm_segment"] = [segment_11(*codes) for codes in zip(rfm.r_score, rfm.f_score, rfm.m_score)]
    recent = compare_to_mean(rfm.days_since_last_purchase, at_or_above=False)
    frequent = compare_to_mean(rfm.purchase_count)
    high = compare_to_mean(m)
    rfm["value_segment"] = [
        ("important" if h else "general") + (" value" if r and f else " development" if r
                                             else " retention" if f else " win-back")
        for r, f, h in zip(recent, frequent, high)]
    return rfm.sort_index()


COLUMNS = ["days_since_last_purchase", "purchase_count", "r_score", "f_score", "m_score",
           "rfm_segment", "value_segment"]


def assert_matches(actual: pd.DataFrame, expected: pd.DataFrame):
    actual = actual.set_index("customer_id").sort_index()
    assert list(actual.index) == list(expected.index)
    for column in COLUMNS:
        mismatched = actual[column] != expected[column]
        assert not mismatched.any(), (column, actual.loc[mismatched, [column]].join(
            expected[[column]], rsuffix="_expected").head())
    assert (actual.total_revenue.astype(float) - expected.total_revenue).abs().max() < 0.001
    assert (actual.avg_order_value.astype(float) - expected.avg_order_value).abs().max() < 0.001


def test_customer_rfm_equals_pandas_on_the_demo(demo_build):
    assert_matches(query(demo_build, "select * from marts.customer_rfm"), reference_rfm())


def test_customer_rfm_with_window_and_total_monetary(tmp_path):
    db_path = tmp_path / DB_FILE
    run_dbt(["build", "--select", "+customer_rfm", "+customers", "--exclude", "test_type:unit",
             "--indirect-selection", "cautious"], db_path,
            {"rfm_window_days": 90, "rfm_monetary_measure": "total"})
    assert_matches(query(db_path, "select * from marts.customer_rfm"), reference_rfm(90, "total"))


def test_monthly_snapshot_at_the_as_of_month_end_equals_customer_rfm(demo_build):
    # the demo's as-of date is a month end, so both marts hold that snapshot: same rows
    monthly = query(demo_build, "select * exclude (snapshot_month, month_end_date) from marts.customer_rfm_monthly"
                                " where month_end_date = date '2025-12-31' order by customer_id")
    current = query(demo_build, "select * exclude (as_of_date) from marts.customer_rfm order by customer_id")
    pd.testing.assert_frame_equal(monthly, current)


def test_migration_rows_add_up_to_the_monthly_snapshots(demo_build):
    frame = query(demo_build, """
        with moved as (
            select month_end_date, segment_scheme, sum(customers) filter (where to_segment != '(none)') as into_month
            from marts.rfm_segment_migration group by all
        ), snap as (
            select month_end_date, count(*) as customers from marts.customer_rfm_monthly group by all
        )
        select * from moved join snap using (month_end_date)
    """)
    assert len(frame) > 0 and (frame.into_month == frame.customers).all()
