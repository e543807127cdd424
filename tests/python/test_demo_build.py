"""The bundled demo data builds, reconciles, and the customers mart matches pandas."""
import pandas as pd
import pytest

from conftest import PROJECT_DIR, query, tables_in_schema
from reference import customers_mart

DEMO_DIR = PROJECT_DIR / "data" / "demo"


def test_demo_build_creates_the_marts(demo_build):
    assert "customers" in tables_in_schema(demo_build, "marts")
    counts = query(demo_build, "select count(*) as n from marts.customers")
    assert counts.n[0] > 1000


def test_raw_rows_reconcile_with_staged_plus_rejected(demo_build):
    frame = query(demo_build, """
        select 'orders' as t, (select count(*) from raw_files.orders) as raw_rows,
               (select count(*) from staging.stg_raw__orders) as staged
        union all select 'events', (select count(*) from raw_files.events), (select count(*) from staging.stg_raw__events)
        union all select 'customers', (select count(*) from raw_files.customers),
               (select count(*) from staging.stg_raw__customers)
    """).set_index("t")
    rejects = query(demo_build, "select source_table as t, count(*) as n from staging.stg_raw__rejects group by 1")
    frame["rejected"] = rejects.set_index("t")["n"]
    assert (frame.raw_rows == frame.staged + frame.rejected).all(), frame


def test_demo_rejects_match_what_the_generator_injected(demo_build):
    # scripts/generate_data.py injects int(0.002 * rows) bad rows per kind; the demo has
    # 4,317 clean orders -> 8 per kind (two kinds are bad amounts), 119,517 clean events
    # -> 239 per kind, 2,000 customers -> 4 per kind.
    frame = query(demo_build, "select source_table, reject_reason, count(*) as n from staging.stg_raw__rejects"
                              " group by all")
    got = {(r.source_table, r.reject_reason): r.n for r in frame.itertuples()}
    expected = {("orders", reason): 8 for reason in
                ["null_order_id", "null_customer_id", "bad_timestamp", "future_timestamp", "unknown_status",
                 "duplicate"]}
    expected[("orders", "bad_amount")] = 16
    expected.update({("events", reason): 239 for reason in
                     ["null_event_id", "null_identity", "null_event_name", "bad_timestamp",
                      "future_timestamp", "duplicate"]})
    expected.update({("customers", reason): 4 for reason in ["null_customer_id", "bad_timestamp", "duplicate"]})
    assert got == expected


def test_customers_mart_equals_an_independent_pandas_computation(demo_build):
    expected = customers_mart(DEMO_DIR)
    actual = query(demo_build, "select * from marts.customers").set_index("customer_id").sort_index()
    assert list(actual.index) == list(expected.index)
    for column in ["order_count", "days_since_last_order", "tenure_days", "session_count", "event_count"]:
        pd.testing.assert_series_equal(actual[column].astype(int), expected[column].astype(int), check_names=False)
    for column in ["acquisition_channel", "acquisition_platform", "is_repeat_customer"]:
        mismatched = actual[column] != expected[column]
        assert not mismatched.any(), actual.loc[mismatched, [column]].join(expected[[column]], rsuffix="_expected")
    for column in ["first_order_at", "last_order_at", "first_seen_at", "cohort_month"]:
        pd.testing.assert_series_equal(pd.to_datetime(actual[column]).astype("datetime64[ns]"),
                                       pd.to_datetime(expected[column]).astype("datetime64[ns]"),
                                       check_names=False)
    for column in ["lifetime_revenue", "avg_order_value"]:
        diff = (actual[column].astype(float) - expected[column].astype(float)).abs()
        assert diff.max() < 0.0001, diff.max()


def test_no_raw_email_past_staging(demo_build):
    columns = query(demo_build, "select table_schema, table_name, column_name from information_schema.columns"
                                " where lower(column_name) = 'email' and table_schema not in ('raw_files')")
    assert columns.empty, columns
    leaked = query(demo_build, "select count(*) as n from staging.stg_raw__rejects where raw_record like '%@%'")
    assert leaked.n[0] == 0
