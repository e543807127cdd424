"""A build on files with every kind of bad row succeeds, rejects each bad row with the
right reason, and changes no mart or intermediate model."""
import csv
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from conftest import DB_FILE, PROJECT_DIR, STAGING_CHECKS_ONLY, query, run_dbt, tables_in_schema

GENERATOR = PROJECT_DIR / "scripts" / "generate_data.py"
RAGGED_EMAIL = "Ragged.Line@Example.com"
ENCODING_EMAIL = "bad.encoding@example.com"


@pytest.fixture(scope="module")
def clean_and_dirty(tmp_path_factory):
    root = tmp_path_factory.mktemp("badrows")
    clean_dir = root / "clean" / "raw"
    subprocess.run([sys.executable, str(GENERATOR), "--customers", "150", "--bad-share", "0",
                    "--out", str(clean_dir), "--format", "csv"], check=True, capture_output=True)
    orders = pd.read_csv(clean_dir / "orders.csv", dtype=str, keep_default_na=False)
    events = pd.read_csv(clean_dir / "events.csv", dtype=str, keep_default_na=False)
    customers = pd.read_csv(clean_dir / "customers.csv", dtype=str, keep_default_na=False)

    good_order = orders[orders.status.str.strip().str.lower().isin(["completed", ""])].iloc[0]
    bad_orders = []
    expected = []

    def bad_order(reason, **changes):
        row = good_order.copy()
        row["order_id"] = f"o_bad_{reason}_{len(bad_orders)}"
        for key, value in changes.items():
            row[key] = value
        bad_orders.append(row)
        expected.append(("orders", row["order_id"] or None, reason))

    bad_order("null_order_id", order_id="")
    bad_order("null_customer_id", customer_id="  ")
    bad_order("bad_amount", amount="twelve")
    bad_order("bad_amount", amount="-0.01")
    bad_order("bad_amount", amount="")
    bad_order("bad_timestamp", ordered_at="2024-02-30 10:00:00")
    bad_order("bad_timestamp", ordered_at="")
    bad_order("future_timestamp", ordered_at="2999-01-01T00:00:00+01:00")
    bad_order("unknown_status", status="pending_review")
    exact_copy = good_order.copy()
    bad_orders.append(exact_copy)
    expected.append(("orders", exact_copy["order_id"], "duplicate"))

    good_event = events[events.customer_id != ""].iloc[0]
    bad_events = []

    def bad_event(reason, **changes):
        row = good_event.copy()
        row["event_id"] = f"e_bad_{reason}_{len(bad_events)}"
        for key, value in changes.items():
            row[key] = value
        bad_events.append(row)
        expected.append(("events", row["event_id"] or None, reason))

    bad_event("null_event_id", event_id="")
    bad_event("null_identity", customer_id="", anonymous_id="")
    bad_event("null_event_name", event_name=" ")
    bad_event("bad_timestamp", occurred_at="yesterday")
    bad_event("future_timestamp", occurred_at="2999-06-01 12:00:00")
    bad_events.append(good_event.copy())
    expected.append(("events", good_event["event_id"], "duplicate"))

    good_customer = customers.iloc[0]
    bad_customers = []
    row = good_customer.copy()
    row["customer_id"] = ""
    bad_customers.append(row)
    expected.append(("customers", None, "null_customer_id"))
    row = good_customer.copy()
    row["customer_id"], row["created_at"] = "c_bad_time", "31/12/2024"
    bad_customers.append(row)
    expected.append(("customers", "c_bad_time", "bad_timestamp"))
    row = good_customer.copy()
    row["customer_id"], row["created_at"] = "c_bad_future", "2999-01-01"
    bad_customers.append(row)
    expected.append(("customers", "c_bad_future", "future_timestamp"))
    bad_customers.append(good_customer.copy())
    expected.append(("customers", good_customer["customer_id"], "duplicate"))

    dirty_dir = root / "dirty" / "raw"
    dirty_dir.mkdir(parents=True)
    pd.concat([orders, pd.DataFrame(bad_orders)]).to_csv(dirty_dir / "orders.csv", index=False)
    # headers as exports write them (upper case, padded): matched trimmed and case-insensitively
    dirty_events = pd.concat([events, pd.DataFrame(bad_events)])
    dirty_events.columns = [name.upper() for name in dirty_events.columns]
    dirty_events.to_csv(dirty_dir / "events.csv", index=False)
    dirty_customers = pd.concat([customers, pd.DataFrame(bad_customers)])
    dirty_customers.columns = [f" {name.upper()} " for name in dirty_customers.columns]
    dirty_customers.to_csv(dirty_dir / "customers.csv", index=False)

    # lines the CSV reader cannot parse (ragged, not UTF-8), between good lines and in
    # one file together: each is rejected with its own reason, the rest of the file staged
    def append_lines(path, lines):
        with path.open("ab") as handle:
            handle.write(b"".join(line + b"\n" for line in lines))

    short_order = b"o_bad_short,c1,2024-03-01 10:00:00,10.00"
    append_lines(dirty_dir / "orders.csv", [
        short_order,
        b"o_bad_long,c1,2024-03-01 10:00:00,10.00,completed,surplus",
        b"o_bad_encoding,c1\xff,2024-03-01 10:00:00,10.00,completed",
        b",".join(str(value).encode() for value in good_order.values),  # a good line after them
    ])
    expected += [("orders", None, "malformed_row"), ("orders", None, "malformed_row"),
                 ("orders", "o_bad_encoding", "bad_encoding"),
                 ("orders", good_order["order_id"], "duplicate")]
    append_lines(dirty_dir / "events.csv", [
        b"e_bad_short,only,three",
        b",".join({"event_id": b"e_bad_encoding", "channel": "Zürich".encode(), "platform": b"web\xff"}.get(
            name, str(value).encode()) for name, value in good_event.items()),
    ])
    expected += [("events", None, "malformed_row"), ("events", "e_bad_encoding", "bad_encoding")]
    append_lines(dirty_dir / "customers.csv", [
        f"c_bad_ragged,{RAGGED_EMAIL},2024-01-01".encode(),
        f"c_bad_encoding,{ENCODING_EMAIL},2024-01-01,\xe9mail,FR".encode("latin-1"),
    ])
    expected += [("customers", None, "malformed_row"), ("customers", "c_bad_encoding", "bad_encoding")]

    # each build reads the `raw` folder beside its database (relative: see conftest.run_dbt)
    clean_db, dirty_db = clean_dir.parent / DB_FILE, dirty_dir.parent / DB_FILE
    # every data test runs on the dirty build; the clean one is only the yardstick
    run_dbt(["build", *STAGING_CHECKS_ONLY], clean_db, {"raw_data_dir": "raw"})
    run_dbt(["build", "--exclude", "test_type:unit"], dirty_db, {"raw_data_dir": "raw"})
    return clean_db, dirty_db, expected


def test_clean_data_has_no_rejects(clean_and_dirty):
    clean_db, _, _ = clean_and_dirty
    assert query(clean_db, "select count(*) as n from staging.stg_raw__rejects").n[0] == 0


def test_each_bad_row_is_rejected_with_its_reason(clean_and_dirty):
    _, dirty_db, expected = clean_and_dirty
    rejects = query(dirty_db, "select source_table, record_id, reject_reason from staging.stg_raw__rejects")
    got = [(r.source_table, r.record_id if isinstance(r.record_id, str) else None, r.reject_reason)
           for r in rejects.itertuples()]

    def key(row):
        return tuple("" if value is None else value for value in row)

    assert sorted(got, key=key) == sorted(expected, key=key)


@pytest.mark.parametrize("schema", ["marts", "intermediate"])
def test_bad_rows_change_no_model(clean_and_dirty, schema):
    clean_db, dirty_db, _ = clean_and_dirty
    tables = tables_in_schema(clean_db, schema)
    assert tables and tables == tables_in_schema(dirty_db, schema)
    with duckdb.connect() as con:
        con.execute(f"attach '{clean_db}' as clean (read_only)")
        con.execute(f"attach '{dirty_db}' as dirty (read_only)")
        for table in tables:
            # processed_at stamps when a run computed the row, so it differs between any two builds
            columns = con.sql(f"select column_name from information_schema.columns where table_catalog = 'clean' "
                              f"and table_schema = '{schema}' and table_name = '{table}' "
                              "and column_name != 'processed_at' order by ordinal_position").fetchall()
            select = ", ".join(f'"{name}"' for (name,) in columns)
            for left, right in (("clean", "dirty"), ("dirty", "clean")):
                extra = con.sql(f"select count(*) from (select {select} from {left}.{schema}.{table} "
                                f"except all select {select} from {right}.{schema}.{table})").fetchone()[0]
                assert extra == 0, f"{schema}.{table}: {extra} rows in {left} build not in {right} build"


@pytest.mark.parametrize("table", ["orders", "events", "customers"])
def test_raw_rows_equal_staged_plus_rejected_by_an_independent_count(clean_and_dirty, table):
    # Python's csv module counts the data rows of each file, independently of DuckDB's reader
    _, dirty_db, _ = clean_and_dirty
    # (read as Latin-1, which decodes any byte, so a line that is not UTF-8 is counted too)
    with (dirty_db.parent / "raw" / f"{table}.csv").open(newline="", encoding="latin-1") as handle:
        raw_rows = sum(1 for _ in csv.reader(handle)) - 1
    staged = query(dirty_db, f"select count(*) as n from staging.stg_raw__{table}").n[0]
    rejected = query(dirty_db, f"select count(*) as n from staging.stg_raw__rejects where source_table = '{table}'").n[0]
    assert raw_rows == staged + rejected and rejected > 0


def test_a_malformed_line_keeps_its_text_with_emails_hashed(clean_and_dirty):
    _, dirty_db, _ = clean_and_dirty
    rejects = query(dirty_db, "select source_table, raw_record from staging.stg_raw__rejects "
                              "where reject_reason = 'malformed_row' order by source_table, raw_record")
    assert "o_bad_short,c1,2024-03-01 10:00:00,10.00" in set(rejects.raw_record)
    assert "o_bad_long,c1,2024-03-01 10:00:00,10.00,completed,surplus" in set(rejects.raw_record)
    customer_line = rejects[rejects.source_table == "customers"].raw_record.iloc[0]
    assert customer_line.startswith("c_bad_ragged,email_hash=") and customer_line.endswith(",2024-01-01")
    assert "@" not in customer_line and "ragged" not in customer_line.lower().split(",")[1]


def test_a_line_that_is_not_utf8_keeps_its_readable_fields(clean_and_dirty):
    _, dirty_db, _ = clean_and_dirty
    record = query(dirty_db, "select raw_record from staging.stg_raw__rejects "
                             "where record_id = 'e_bad_encoding'").raw_record[0]
    # the valid field reads as UTF-8; the field with the stray byte as Latin-1
    assert "channel=Zürich;" in record and "platform=web\u00ff" in record
    customer = query(dirty_db, "select raw_record from staging.stg_raw__rejects "
                               "where record_id = 'c_bad_encoding'").raw_record[0]
    assert "@" not in customer and "email_hash=" in customer


def test_no_raw_line_or_email_reaches_a_log_or_the_database(clean_and_dirty):
    _, dirty_db, _ = clean_and_dirty
    logs = "\n".join(path.read_text(errors="replace") for path in (dirty_db.parent / "logs").glob("*.log"))
    for secret in (RAGGED_EMAIL, ENCODING_EMAIL, "o_bad_short", "surplus"):
        assert secret.lower() not in logs.lower()
    with duckdb.connect(str(dirty_db), read_only=True) as con:
        for table in ("orders", "events", "customers"):
            stored = con.sql(f"select * from raw_files.{table}__rejected_lines").fetchall()
            assert stored and "@" not in repr(stored)
