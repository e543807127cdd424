"""The three ways to supply raw data: a folder of CSV or Parquet files (single files or
sub-folders of daily drops), orders alone, and tables in a warehouse schema."""
import json
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from conftest import DB_FILE, PROJECT_DIR, STAGING_CHECKS_ONLY, query, run_dbt
from reference import customers_mart

GENERATOR = PROJECT_DIR / "scripts" / "generate_data.py"


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small") / "csv"
    subprocess.run([sys.executable, str(GENERATOR), "--customers", "120", "--seed", "7", "--out", str(folder),
                    "--format", "csv"], check=True, capture_output=True)
    return folder


def assert_customers_match_reference(db_path, csv_folder):
    expected = customers_mart(csv_folder)
    actual = query(db_path, "select * from marts.customers").set_index("customer_id").sort_index()
    assert list(actual.index) == list(expected.index)
    for column in ["order_count", "session_count", "event_count", "tenure_days"]:
        assert (actual[column].astype(int) == expected[column].astype(int)).all(), column
    assert (actual.acquisition_channel == expected.acquisition_channel).all()
    assert ((actual.lifetime_revenue.astype(float) - expected.lifetime_revenue.astype(float)).abs() < 0.006).all()


def test_parquet_sub_folders_of_daily_files(small_csv, tmp_path):
    folder = tmp_path / "raw"
    for table in ["orders", "events"]:
        frame = pd.read_csv(small_csv / f"{table}.csv", dtype=str, keep_default_na=False)
        (folder / table).mkdir(parents=True)
        for part, chunk in enumerate(range(0, len(frame), len(frame) // 3 + 1)):
            frame.iloc[chunk:chunk + len(frame) // 3 + 1].to_parquet(folder / table / f"day_{part}.parquet")
    pd.read_csv(small_csv / "customers.csv", dtype=str, keep_default_na=False).to_parquet(
        folder / "customers.parquet")
    db_path = tmp_path / DB_FILE
    run_dbt(["build", *STAGING_CHECKS_ONLY], db_path, {"raw_data_dir": "raw"})
    assert_customers_match_reference(db_path, small_csv)


def test_orders_alone_build_every_order_mart_and_empty_event_models(small_csv, tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    orders = pd.read_csv(small_csv / "orders.csv", dtype=str, keep_default_na=False)
    # a plain transaction log: no status column at all (missing means completed)
    orders.drop(columns=["status"]).to_csv(folder / "orders.csv", index=False)
    db_path = tmp_path / DB_FILE
    run_dbt(["build", "--exclude", "test_type:unit"], db_path, {"raw_data_dir": "raw"})
    assert query(db_path, "select count(*) as n from intermediate.int_sessions").n[0] == 0
    customers = query(db_path, "select * from marts.customers")
    assert len(customers) > 50
    assert (customers.session_count == 0).all() and (customers.acquisition_channel == "unknown").all()
    # without a status column, cancelled and refunded orders count as completed
    valid_orders = query(db_path, "select count(*) as n from staging.stg_raw__orders").n[0]
    assert customers.order_count.sum() == valid_orders


def test_missing_orders_is_a_clear_error(tmp_path):
    empty = tmp_path / "raw"
    empty.mkdir()
    result = run_dbt(["build"], tmp_path / DB_FILE, {"raw_data_dir": "raw"}, expect_ok=False)
    assert result.returncode != 0
    assert "No orders data in raw_data_dir" in result.stdout


def test_compile_needs_no_built_tables(tmp_path):
    # a new user's `dbt compile` / `dbt docs generate` runs before any build: macros that
    # query a table while compiling (unique_where_written, the funnel steps) must not need it
    run_dbt(["compile"], tmp_path / DB_FILE)


def test_warehouse_schema_with_native_types(small_csv, tmp_path):
    db_path = tmp_path / DB_FILE
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema shop")
        con.execute(f"""create table shop.shop_orders as
            select order_id, customer_id, try_cast(ordered_at as timestamptz) as ordered_at,
                   try_cast(amount as decimal(12, 2)) as amount, status, 'ignored' as extra_column
            from read_csv('{small_csv}/orders.csv', all_varchar = true)""")
        con.execute(f"create table shop.events as select * from read_csv('{small_csv}/events.csv', all_varchar = true)")
        con.execute(f"create table shop.customers as select * from read_csv('{small_csv}/customers.csv', all_varchar = true)")
    run_dbt(["build", *STAGING_CHECKS_ONLY], db_path,
            {"raw_schema": "shop", "raw_orders_identifier": "shop_orders"})
    # native types lose the unparseable values before dbt sees them, so compare on valid rows only
    assert_customers_match_reference(db_path, small_csv)
    assert "raw_files" not in query(db_path, "select schema_name from information_schema.schemata").schema_name.tolist()


def test_warehouse_schema_without_events_or_customers(small_csv, tmp_path):
    db_path = tmp_path / DB_FILE
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema shop")
        con.execute(f"create table shop.orders as select * from read_csv('{small_csv}/orders.csv', all_varchar = true)")
    # every data test runs on the file-mode build of orders alone above
    run_dbt(["build", *STAGING_CHECKS_ONLY], db_path,
            {"raw_schema": "shop", "using_events": False, "using_customers": False})
    assert len(query(db_path, "select * from marts.customers")) > 50


def test_source_freshness_reports_the_stale_demo_feed(tmp_path):
    # The demo ends on 2025-12-31, long before today: orders and events must be an error, and
    # the demo's future-dated bad rows must not count as the newest row.
    result = run_dbt(["source", "freshness"], tmp_path / DB_FILE, expect_ok=False, write_json=True)
    assert result.returncode == 1, result.stdout[-3000:]
    results = json.loads((tmp_path / "target" / "sources.json").read_text())["results"]
    by_table = {r["unique_id"].split(".")[-1]: r for r in results}
    assert sorted(by_table) == ["events", "orders"]  # customers: freshness null
    for table in ("orders", "events"):
        assert by_table[table]["status"] == "error"
        assert by_table[table]["max_loaded_at"][:7] in ("2025-12", "2026-01"), by_table[table]
