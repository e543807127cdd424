"""Incremental daily runs equal a full refresh, row for row.

The demo data is cut into a history and three daily drops (sub-folders of daily files,
as a feed delivers them). Events arrive late (within `late_arrival_days`), a later drop
repeats an event id first seen weeks before, holds an exact copy of a row, and identifies
a visitor whose anonymous history must move to the customer, and refunds an order that was
the first row of its customer's stream. The project is built on the
history, then incrementally once per drop, the last drop twice; every mart, the rejects
and the incremental event tables must then equal a full-refresh build of the same files.
The last drop's daily run is also killed (SIGKILL) at several points, during staging,
inside the person-stream chain and during the marts, each time restarted from where the
kill left it; one complete run after that must equal the full refresh too.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import DB_FILE, PROJECT_DIR, dbt_invocation, run_dbt, shared_build

DEMO = PROJECT_DIR / "data" / "demo"
VARS = {"clv_probabilistic": False, "late_arrival_days": 3}
# `dbt seed` then `dbt run --full-refresh`, in one invocation
SEEDS_AND_MODELS_FROM_SCRATCH = ["build", "--full-refresh", "--exclude", "test_type:unit", "test_type:data"]
DROPS_IN_ORDER = ("history", "drop1", "drop2", "drop3")
EVENT_DAY = "cast(try_cast(occurred_at as timestamptz) at time zone 'UTC' as date)"
ORDER_DAY = "cast(try_cast(ordered_at as timestamptz) at time zone 'UTC' as date)"
# intermediate tables kept incrementally: compared too, without their run stamp (views
# cannot be read from an attached copy, so the rejects are compared in the base tables)
INCREMENTAL_TABLES = ["int_events_sessionized", "int_sessions", "int_person_events", "int_session_event_sequence",
                      "int_order_touches", "int_order_attribution_credits",
                      "int_funnel_daily_best_attempts", "int_funnel_period_best_attempts", "int_goal_event_paths",
                      "int_person_first_touch", "int_customer_events_daily",
                      "int_person_event_transitions", "int_funnel_person_best_attempts",
                      "int_retention_day_returns", "int_retention_window_returns"]
# every raw row, staged or rejected with its reason, and the incremental tables: what a daily
# run must leave equal to a full refresh beside the marts (here and in the engine tests)
STAGED_AND_INCREMENTAL_TABLES = ([f"staging.base_raw__{table}" for table in ("orders", "events", "customers")]
                                 + [f"intermediate.{name}" for name in INCREMENTAL_TABLES])
# where a daily run is killed: the START line of a node (dbt's output) and how long after it
KILL_POINTS = [
    ("during staging", r"START sql incremental model staging\.base_raw__events\b", 1.0),
    ("inside the person-stream chain", r"START sql incremental model intermediate\.int_person_events\b", 0.5),
    ("between two incremental models", r"OK created sql incremental model intermediate\.int_funnel_daily_best_attempts\b", 0.0),
    ("during the marts", r"START sql table model marts\.customer_funnel_progress\b", 0.3),
]


def write_csv(con, sql: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"copy ({sql}) to '{path}' (header, delimiter ',')")


@pytest.fixture(scope="module")
def drops(tmp_path_factory):
    """(raw folder, [files of each drop]) where the drops are written when they 'arrive'."""
    work = tmp_path_factory.mktemp("incremental")
    staged = work / "staged"
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"create table events as select * from read_csv('{DEMO}/events.csv.gz', all_varchar = true, header = true)")
    con.execute(f"create table orders as select * from read_csv('{DEMO}/orders.csv.gz', all_varchar = true, header = true)")
    last = con.sql(f"select max({EVENT_DAY}) from events where {EVENT_DAY} <= current_date").fetchone()[0]
    d1, d2, d3 = last - timedelta(days=11), last - timedelta(days=7), last - timedelta(days=3)
    ranges = {"history": (None, d1), "drop1": (d1, d2), "drop2": (d2, d3), "drop3": (d3, None)}

    def day_filter(day: str, start, end) -> str:
        if start is None:  # unparseable and missing times arrive with the history
            return f"({day} is null or {day} < date '{end}')"
        return f"{day} >= date '{start}'" + (f" and {day} < date '{end}'" if end else "")

    # events of d1 + 1 day arrive two drops late (drop2 instead of drop1): within the lookback
    late_day = d1 + timedelta(days=1)
    for name, (start, end) in ranges.items():
        where = day_filter(EVENT_DAY, start, end)
        if name == "drop1":
            where += f" and {EVENT_DAY} != date '{late_day}'"
        if name == "drop2":
            where = f"({where}) or {EVENT_DAY} = date '{late_day}'"
        write_csv(con, f"select * from events where {where}", staged / name / "events" / f"{name}.csv")
        write_csv(con, f"select * from orders where {day_filter(ORDER_DAY, start, end)}",
                  staged / name / "orders" / f"{name}.csv")

    # drop3 extras: an event id first seen in the history again (a duplicate), an exact copy
    # of one of drop3's rows, a visitor from the history identifying as a customer, and an
    # earlier copy (so the winner) of an event of drop2 inside the lookback, for another
    # customer: the event moves to another person and an earlier time; and a late 'share'
    # one minute after c_000193's last event before drop3, which takes their AISAS attempts
    # of 2025-11-28 to 30 from step 4 to 5: they lie just after the first day the daily
    # best attempts must recompute (the tail start - 30 days, a Thursday)
    old = con.sql(f"select * from events where {EVENT_DAY} < date '{d1 - timedelta(days=20)}' "
                  "and event_id is not null and customer_id is not null order by event_id limit 1").df()
    old["occurred_at"] = f"{last}T09:00:00Z"
    copy = con.sql(f"select * from events where {EVENT_DAY} = date '{last}' order by event_id limit 1").df()
    visitor = con.sql(f"""
        select anonymous_id from events where anonymous_id is not null
        group by anonymous_id having count(customer_id) = 0 and max({EVENT_DAY}) < date '{d1}'
        order by count(*) desc, anonymous_id limit 1""").fetchone()[0]
    customer = con.sql("select min(customer_id) from orders").fetchone()[0]
    identify = copy.copy()
    identify.loc[:, :] = None
    identify = identify.assign(event_id="incremental-identify-1", anonymous_id=visitor, customer_id=customer,
                               event_name="login", occurred_at=f"{last}T10:00:00Z")
    moved = con.sql(f"select * from events where {EVENT_DAY} = date '{d3 - timedelta(days=1)}' "
                    "and event_id is not null and customer_id is not null order by event_id limit 1").df()
    other_customer = con.sql("select max(customer_id) from orders").fetchone()[0]
    moved = moved.assign(occurred_at=f"{d3 - timedelta(days=2)}T08:00:00Z", customer_id=other_customer,
                         anonymous_id=None, session_id=None)
    boundary = identify.assign(event_id="incremental-boundary-1", anonymous_id=None, customer_id="c_000193",
                               event_name="share", occurred_at="2025-12-27T07:23:07Z")
    extras = pd.concat([old, copy, identify, moved, boundary], ignore_index=True)
    con.register("extras", extras)
    write_csv(con, "select * from extras", staged / "drop3" / "events" / "drop3-extras.csv")

    # and a late completed order, 60 days back, of a customer without events since d2: only
    # their purchase days tell int_customer_events_daily that this customer changed
    buyer = con.sql(f"""
        select min(customer_id) from events where customer_id is not null and customer_id not in (
            select customer_id from events where customer_id is not null and {EVENT_DAY} >= date '{d2}')
        """).fetchone()[0]
    late_order_day = last - timedelta(days=60)
    write_csv(con, f"select 'incremental-late-order-1' as order_id, '{buyer}' as customer_id, "
                   f"'{late_order_day} 12:00:00' as ordered_at, '42.00' as amount, 'completed' as status",
              staged / "drop3" / "orders" / "drop3-late-order.csv")

    # and an order placed a day before the first event of all, delivered in drop2 and
    # refunded in drop3: the first row of their stream vanishes, before any row the
    # recomputed stream still has
    refunded = con.sql(f"""
        select min(customer_id), (select min({EVENT_DAY}) - 1 from events) as order_day from events
        where customer_id is not null and customer_id != '{customer}' and customer_id != '{buyer}'
        """).fetchone()
    refund_order = ("select 'incremental-refunded-1' as order_id, '{0}' as customer_id, "
                    "'{1} 12:00:00' as ordered_at, '10.00' as amount, '{2}' as status")
    write_csv(con, refund_order.format(*refunded, "completed"), staged / "drop2" / "orders" / "drop2-early-order.csv")
    write_csv(con, refund_order.format(*refunded, "refunded"), staged / "drop3" / "orders" / "drop3-refund.csv")

    raw = work / "raw"
    (raw / "events").mkdir(parents=True)
    (raw / "orders").mkdir(parents=True)
    (raw / "customers.csv.gz").write_bytes((DEMO / "customers.csv.gz").read_bytes())
    return raw, staged, visitor, (moved.event_id[0], other_customer), (buyer, late_order_day), refunded[0]


def deliver(raw: Path, staged: Path, drop: str) -> None:
    for table in ("events", "orders"):
        for file in (staged / drop / table).glob("*.csv"):
            (raw / table / file.name).write_bytes(file.read_bytes())


def differences(incremental_db: Path, full_db: Path) -> dict[str, tuple[int, int]]:
    """Per compared table: (rows only in the incremental build, rows only in the full build)."""
    con = duckdb.connect()
    con.execute(f"attach '{incremental_db}' as inc (read_only)")
    con.execute(f"attach '{full_db}' as ref (read_only)")
    marts = [row[0] for row in con.sql("select table_name from information_schema.tables where table_catalog = 'ref' "
                                       "and table_schema = 'marts'").fetchall()]
    assert len(marts) > 20
    compared = {f"marts.{name}": "*" for name in marts}
    for table in STAGED_AND_INCREMENTAL_TABLES:  # without their run stamp
        stamped = table.startswith("intermediate.") or table == "staging.base_raw__events"
        compared[table] = "* exclude (processed_at)" if stamped else "*"
    out = {}
    for table, columns in compared.items():
        left, right = f"select {columns} from inc.{table}", f"select {columns} from ref.{table}"
        only_left = con.sql(f"select count(*) from ({left} except all {right})").fetchone()[0]
        only_right = con.sql(f"select count(*) from ({right} except all {left})").fetchone()[0]
        out[table] = (only_left, only_right)
    return out


@pytest.fixture(scope="module")
def every_drop_full_build(drops, tmp_path_factory, worker_id) -> Path:
    """The full-refresh build (seeds and models) over every drop's files, shared with the
    PostgreSQL test, which compares its marts with it: the drops are the same files in
    every module that makes them."""
    _, staged, *_ = drops

    def build(db_path: Path) -> None:
        raw = db_path.parent / "raw"
        for table in ("events", "orders"):
            (raw / table).mkdir(parents=True)
        (raw / "customers.csv.gz").write_bytes((DEMO / "customers.csv.gz").read_bytes())
        for drop in DROPS_IN_ORDER:
            deliver(raw, staged, drop)
        vars_ = {**VARS, "raw_data_dir": "raw"}
        run_dbt(SEEDS_AND_MODELS_FROM_SCRATCH, db_path, vars_)

    return shared_build(tmp_path_factory, worker_id, "every-drop-full-build", build)


@pytest.fixture(scope="module")
def incremental_builds(drops, every_drop_full_build, tmp_path_factory):
    """(incremental database, full-refresh database, a copy of the incremental database
    taken after drop2), over the same files once every drop has arrived."""
    raw, staged, *_ = drops
    vars_ = {**VARS, "raw_data_dir": str(raw)}
    root = tmp_path_factory.mktemp("builds")
    incremental_db = root / "incremental" / DB_FILE
    before_drop3 = root / "before_drop3" / DB_FILE

    deliver(raw, staged, "history")
    run_dbt(SEEDS_AND_MODELS_FROM_SCRATCH, incremental_db, vars_)
    for drop in DROPS_IN_ORDER[1:]:
        if drop == "drop3":  # dbt closed the database: the file is the whole state
            before_drop3.parent.mkdir()
            shutil.copyfile(incremental_db, before_drop3)
        deliver(raw, staged, drop)
        run_dbt(["run"], incremental_db, vars_)
    # the last increment again, as a retried job would: nothing may be counted twice
    run_dbt(["run"], incremental_db, vars_)
    return incremental_db, every_drop_full_build, before_drop3


def test_every_person_grain_incremental_model_is_compared():
    """A model put on the change log is compared with a full refresh here, on Spark and on
    PostgreSQL (the engine tests read the same list)."""
    on_the_change_log = {path.stem for path in (PROJECT_DIR / "models").rglob("*.sql")
                         if "config(**incremental_by_changed_people_config" in path.read_text()}
    assert on_the_change_log == set(INCREMENTAL_TABLES)


def test_daily_increments_equal_a_full_refresh(drops, incremental_builds):
    raw, staged, visitor, (moved_event, new_owner), (buyer, late_order_day), refunded_customer = drops
    vars_ = {**VARS, "raw_data_dir": str(raw)}
    incremental_db, full_db, before_drop3 = incremental_builds
    # the incrementally kept tables pass their data tests, and raw rows still reconcile
    run_dbt(["test", "--select", "base_raw__events assert_raw_rows_reconcile", *INCREMENTAL_TABLES,
             "--exclude", "test_type:unit"],
            incremental_db, vars_)

    with duckdb.connect(str(full_db), read_only=True) as con:
        moved = con.sql("select count(*) from intermediate.int_events_sessionized "
                        f"where anonymous_id = '{visitor}' and person_id not like 'anonymous:%'").fetchone()[0]
        duplicate = con.sql("select count(*) from staging.stg_raw__rejects where reject_reason = 'duplicate' "
                            "and raw_record like '%T09:00:00Z%'").fetchone()[0]
        boundary_step = con.sql("select max(step_number) from intermediate.int_funnel_attempt_steps where person_id = "
                                "'c_000193' and funnel_name = 'aisas' and entry_at = '2025-11-30 18:00:16'").fetchone()
        late_purchases = con.sql("select event_count from intermediate.int_customer_events_daily where "
                                 f"customer_id = '{buyer}' and activity_date = '{late_order_day}' "
                                 "and event_name = 'order_completed'").fetchone()
        new_owner_of_moved = con.sql("select customer_id from intermediate.int_events_sessionized "
                                     f"where event_id = '{moved_event}'").fetchone()[0]
    with duckdb.connect(str(before_drop3), read_only=True) as con:
        first_row = con.sql("select event_id from intermediate.int_person_events where person_id = "
                            f"'{refunded_customer}' order by occurred_at limit 1").fetchone()
    assert first_row == ("order:incremental-refunded-1",), "the order to refund should open its customer's stream"
    assert moved > 1, "the identified visitor's history should move to the customer"
    assert duplicate >= 1, "the repeated old event id should be a duplicate"
    assert new_owner_of_moved == new_owner, "the earlier copy should win and move the event"
    assert late_purchases is not None, "the late order should add a purchase day"
    assert boundary_step == (5,), "the late share should complete c_000193's AISAS attempt of 2025-11-30"

    mismatched = {table: counts for table, counts in differences(incremental_db, full_db).items()
                  if counts != (0, 0)}
    assert not mismatched, f"incremental build differs from the full refresh (rows only in each): {mismatched}"


def run_killed_at(args: list[str], db_path: Path, vars_: dict, pattern: str, delay: float) -> str:
    """Start dbt and SIGKILL it (and its children) `delay` seconds after a line of its
    output matches `pattern`; returns its output. Fails if the line never came."""
    command, env, work = dbt_invocation(args, db_path, vars_)
    process = subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    output = []
    for line in process.stdout:
        output.append(line)
        if re.search(pattern, line):
            time.sleep(delay)
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait()
    text = "".join(output)
    assert process.returncode == -signal.SIGKILL, f"the run ended before {pattern!r}:\n{text[-3000:]}"
    return text


def test_a_daily_run_killed_at_any_point_then_rerun_equals_a_full_refresh(drops, incremental_builds, tmp_path):
    raw, *_ = drops
    vars_ = {**VARS, "raw_data_dir": str(raw)}
    _, full_db, before_drop3 = incremental_builds
    crashed_db = tmp_path / "crashed" / DB_FILE
    crashed_db.parent.mkdir()
    shutil.copyfile(before_drop3, crashed_db)
    for _, pattern, delay in KILL_POINTS:  # each run restarts from what the last kill left
        run_killed_at(["run"], crashed_db, vars_, pattern, delay)
    run_dbt(["run"], crashed_db, vars_)
    mismatched = {table: counts for table, counts in differences(crashed_db, full_db).items()
                  if counts != (0, 0)}
    assert not mismatched, f"killed and rerun differs from the full refresh (rows only in each): {mismatched}"


def test_a_copied_row_fails_unique_where_written(drops, incremental_builds, tmp_path):
    # unique_where_written checks the keys of the latest run's rows (incremental) or the
    # whole table (one stamp): a copied row must fail it in both
    raw, *_ = drops
    vars_ = {**VARS, "raw_data_dir": str(raw)}
    incremental_db, full_db, _ = incremental_builds
    for name, built in (("incremental", incremental_db), ("full", full_db)):
        db = tmp_path / name / DB_FILE
        db.parent.mkdir()
        shutil.copyfile(built, db)
        with duckdb.connect(str(db)) as con:
            con.execute("insert into intermediate.int_person_events select * from intermediate.int_person_events "
                        "where processed_at = (select max(processed_at) from intermediate.int_person_events) limit 1")
        result = run_dbt(["test", "--select", "int_person_events,test_name:unique_where_written"], db, vars_,
                         expect_ok=False)
        assert result.returncode != 0 and "unique_where_written_int_person_events_event_id" in result.stdout, name


def test_an_event_later_than_the_lookback_fails_reconciliation(drops, tmp_path):
    """A row older than the window is not reprocessed: the reconcile test must say so."""
    raw, staged, *_ = drops
    vars_ = {**VARS, "raw_data_dir": str(raw)}
    db = tmp_path / DB_FILE
    for drop in DROPS_IN_ORDER:
        deliver(raw, staged, drop)
    run_dbt([*SEEDS_AND_MODELS_FROM_SCRATCH, "--select", "+stg_raw__rejects"], db, vars_)
    con = duckdb.connect()
    old_day = con.sql(f"select min({EVENT_DAY}) + 1 from read_csv('{raw}/events/history.csv', all_varchar = true)"
                      ).fetchone()[0]
    con.execute(f"copy (select 'very-late-1' as event_id, 'anon-late' as anonymous_id, "
                f"'page_view' as event_name, '{old_day}T12:00:00Z' as occurred_at) "
                f"to '{raw}/events/very-late.csv' (header)")
    run_dbt(["run", "--select", "+stg_raw__rejects"], db, vars_)
    result = run_dbt(["test", "--select", "assert_raw_rows_reconcile"], db, vars_, expect_ok=False)
    (raw / "events" / "very-late.csv").unlink()
    assert result.returncode != 0 and "assert_raw_rows_reconcile" in result.stdout
