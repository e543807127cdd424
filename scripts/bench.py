"""Benchmark: generate data, run a full `dbt build`, then a one-day incremental build,
and print wall time, peak memory, rows per second and each build's ratio to a floor.

The floor is the least work any build of these marts must do, timed in one DuckDB
session on the same files: aggregate orders per customer, and sessionise all events per
person with a window function (lag, then a running sum of session starts).

    python scripts/bench.py --size 2m            # presets: see SIZES
    python scripts/bench.py --customers 5000 --browse-factor 1 --purchase-factor 1

The data goes to --work (default /tmp/lifecycle-bench/<size>) and is reused when it is
already there. The last day of orders and events is held back in its own files and added
for the incremental build, as a daily drop would be.

    python scripts/bench.py --size 20m --keep-full   # also keeps a copy of the full build's database
    python scripts/bench.py --size 20m --daily-only  # from that copy: only the one-day build

--daily-only makes a change to the incremental models measurable in minutes, not a full build.
--threads N overrides the profile's dbt threads (2) for both builds.

Beside the two builds it prints two yardsticks measured in the same invocation:
- the one-day build of the tiny preset (built first, unless --size is tiny or
  --no-tiny-baseline): the daily cost should depend on the day's data, not the history;
- ClickHouse's windowFunnel (chdb, in-process) computing each person's furthest step of
  the ordered funnels it shares with the project (test_funnels.py) over the same events
  and orders, against the node time of the project's funnel models in the full build.

    python scripts/bench.py --size 2m --target spark     # the same builds on local Spark
    python scripts/bench.py --size 2m --target postgres  # on a throwaway PostgreSQL server

On PostgreSQL the bench starts a server of its own (scripts/throwaway_postgres.py), loads
the files into raw tables (not timed: ingestion is not the build) and builds in warehouse
mode; peak memory counts the server's processes too.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from throwaway_postgres import throwaway_postgres  # noqa: E402
GENERATOR = PROJECT_DIR / "scripts" / "generate_data.py"
DBT = Path(sys.executable).parent / "dbt"

# customers, browse factor, purchase factor -> about (events, orders)
SIZES = {
    "tiny": (2_000, 1.0, 1.0),       # ~0.12M events, ~4k orders (the demo's shape)
    "2m": (10_000, 2.0, 12.0),       # ~2.1M events, ~53k orders
    "20m": (100_000, 2.0, 12.0),     # ~21M events, ~0.5M orders
    "40m": (200_000, 2.0, 12.0),     # ~42M events, ~1M orders
}


SHARD_CUSTOMERS = 100_000


def generate(work: Path, customers: int, browse: float, purchase: float) -> Path:
    """Generated raw files split into history (all but the last day) and the last day."""
    raw = work / "raw"
    full = work / "generated"
    if not (full / "complete").exists():
        shutil.rmtree(work, ignore_errors=True)
        # the generator holds a shard in memory (about 16 GB per 100,000 customers at the
        # presets' factors; 200,000 in one piece was killed at 24 GB): 100,000 per shard, so
        # the 2m and 20m presets are one shard, the same data as before sharding
        shards = max(1, -(-customers // SHARD_CUSTOMERS))
        subprocess.run([sys.executable, str(GENERATOR), "--customers", str(customers), "--browse-factor",
                        str(browse), "--purchase-factor", str(purchase), "--bad-share", "0", "--format", "parquet",
                        "--shards", str(shards), "--out", str(full)], check=True)
        (full / "complete").write_text("")
    if (work / "split").exists():
        return raw
    shutil.rmtree(raw, ignore_errors=True)
    shutil.rmtree(work / "last_day", ignore_errors=True)

    def generated(table: str) -> str:
        single = full / f"{table}.parquet"
        return f"read_parquet('{single if single.exists() else full / table / '*.parquet'}')"

    def utc_day(column: str) -> str:  # as staging reads it: offsets applied, then the UTC day
        return f"cast(try_cast({column} as timestamptz) as date)"

    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    # the last day with events, by the same UTC day the split uses (an earlier version took
    # the latest order's local date: at 20M that day held no rows, and the "one-day" build
    # had nothing to add)
    last_day = con.sql(f"select max({utc_day('occurred_at')}) from {generated('events')}").fetchone()[0]
    for table, column in (("orders", "ordered_at"), ("events", "occurred_at")):
        (raw / table).mkdir(parents=True)
        (work / "last_day" / table).mkdir(parents=True)
        day = utc_day(column)
        source = generated(table)
        con.execute(f"copy (select * from {source} where {day} < date '{last_day}' or {day} is null) "
                    f"to '{raw}/{table}/history.parquet' (format parquet)")
        con.execute(f"copy (select * from {source} where {day} >= date '{last_day}') "
                    f"to '{work}/last_day/{table}/day.parquet' (format parquet)")
    if (full / "customers.parquet").exists():
        shutil.copy(full / "customers.parquet", raw / "customers.parquet")
    else:
        shutil.copytree(full / "customers", raw / "customers")
    (work / "split").write_text(str(last_day))
    return raw


def last_day_rows(work: Path) -> dict:
    con = duckdb.connect()
    return {table: con.sql(f"select count(*) from read_parquet('{work}/last_day/{table}/day.parquet')").fetchone()[0]
            for table in ("orders", "events")}


def count_rows(raw: Path) -> dict:
    con = duckdb.connect()
    return {table: con.sql(f"select count(*) from read_parquet('{raw}/{table}/**/*.parquet')").fetchone()[0]
            for table in ("orders", "events")}


def floor_seconds(raw: Path, timeout_minutes: int) -> float:
    """Aggregate orders per customer and sessionise events per person, in one DuckDB session."""
    con = duckdb.connect()
    con.execute("set threads = 2")
    con.execute("set enable_progress_bar = false")
    started = time.perf_counter()
    con.execute(f"""
        create table orders_per_customer as
        select customer_id, count(*) as orders, sum(try_cast(amount as decimal(18, 2))) as revenue
        from read_parquet('{raw}/orders/**/*.parquet')
        group by customer_id""")
    con.execute(f"""
        create table sessions as
        with events as (
            select coalesce(nullif(customer_id, ''), anonymous_id) as person_id,
                   try_cast(occurred_at as timestamptz) as occurred_at
            from read_parquet('{raw}/events/**/*.parquet')
        ),
        gaps as (
            select person_id, occurred_at,
                   lag(occurred_at) over (partition by person_id order by occurred_at) as previous_at
            from events
        )
        select person_id, occurred_at,
               sum(case when previous_at is null or occurred_at > previous_at + interval {timeout_minutes} minute
                        then 1 else 0 end) over (partition by person_id order by occurred_at
                                                 rows between unbounded preceding and current row) as session_number
        from gaps""")
    return time.perf_counter() - started


def timed_dbt(args: list[str], db_path: Path, raw: Path, threads: int | None = None,
              target: str = "duckdb", postgres: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (GB) of one dbt invocation with every process it
    starts (DuckDB runs inside dbt; Spark's JVM is a process of its own; a PostgreSQL
    server's processes are counted too). On Spark the warehouse and metastore are folders
    beside db_path, the raw tables are read as <table>.parquet (links to the table folders)
    and the CLV fit, a Python model, is off; on PostgreSQL (`postgres`: the server's libpq
    env) the raw data are the tables load_postgres wrote, and the fit is off too."""
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR), "DBT_PROJECT_ROOT": str(PROJECT_DIR),
           "DUCKDB_PATH": str(db_path), "DO_NOT_TRACK": "1"}
    vars_ = {"raw_data_dir": str(raw)}
    server_pid = None
    if target == "spark":
        env.update(SPARK_WAREHOUSE_DIR=str(db_path.parent / "spark-warehouse"),
                   SPARK_DERBY_HOME=str(db_path.parent / "spark-derby"), SPARK_LOCAL_IP="127.0.0.1")
        vars_.update(raw_data_dir=str(spark_raw(raw)), raw_file_format="parquet", clv_probabilistic=False)
    if target == "postgres":
        env.update(postgres)
        vars_ = {"raw_schema": "raw", "clv_probabilistic": False}
        server_pid = postmaster_pid(postgres["PGPORT"])
    command = [str(DBT), *args, "--vars", json.dumps(vars_), "--target", target,
               "--target-path", str(db_path.parent / "target"), "--log-path", str(db_path.parent / "logs")]
    if threads:
        command += ["--threads", str(threads)]
    log = db_path.parent / "dbt.log"
    started = time.perf_counter()
    tree_peak_kb = 0
    with open(log, "w") as out:
        child = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            tree_peak_kb = max(tree_peak_kb, tree_rss_kb(child.pid) + (tree_rss_kb(server_pid) if server_pid else 0))
            time.sleep(0.5)
    seconds = time.perf_counter() - started
    if status != 0:
        print(log.read_text()[-5000:])
        raise SystemExit(f"dbt {' '.join(args)} failed; log: {log}")
    # dbt's own peak is exact (the kernel's); Spark's JVM is a process dbt never waits for,
    # so the process tree is also sampled every half second
    return seconds, max(usage.ru_maxrss, tree_peak_kb) / 1024 / 1024


def tree_rss_kb(root: int) -> int:
    """Resident memory (kB) of a process and all its descendants now, from /proc (Linux);
    0 where /proc cannot be read."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # the parent pid is the 2nd field after the command, which may hold spaces
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    total = 0
    for pid in tree:
        try:
            for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return total


def postmaster_pid(port: str) -> int | None:
    """The pid of the PostgreSQL server listening on `port` (its command line names it)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if argv and argv[0].endswith(b"postgres") and b"-p" in argv and port.encode() in argv:
                return int(entry.name)
    return None


def load_postgres(env: dict, files: dict[str, str], create: bool) -> None:
    """Append parquet files (table -> glob) to raw.<table>, every column as text, through a
    CSV that DuckDB writes and COPY reads; `create`: make the tables first (with file mode's
    two line columns, which the raw sources' unit tests feed)."""
    import psycopg2  # the PostgreSQL extra

    con = duckdb.connect()
    with psycopg2.connect(host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"],
                          dbname=env["PGDATABASE"]) as pg, pg.cursor() as cur:
        if create:
            cur.execute("create schema raw")
        for table, pattern in files.items():
            columns = [row[0] for row in con.sql(f"describe select * from read_parquet('{pattern}')").fetchall()]
            if create:
                cur.execute(f"create table raw.{table} ("
                            + ", ".join(f'"{c}" text' for c in [*columns, "raw_line_problem", "raw_line"]) + ")")
            csv_file = Path(tempfile.mkdtemp(prefix="lifecycle-bench-")) / f"{table}.csv"
            con.execute(f"copy (select columns(*)::varchar from read_parquet('{pattern}')) to '{csv_file}' (header)")
            with open(csv_file) as data:
                cur.copy_expert(f"copy raw.{table} ({', '.join(chr(34) + c + chr(34) for c in columns)}) "
                                "from stdin with (format csv, header true)", data)
            shutil.rmtree(csv_file.parent)


def spark_raw(raw: Path) -> Path:
    """Spark's file mode reads <dir>/<table>.parquet: links to the bench's table folders."""
    linked = raw.parent / "raw_spark"
    linked.mkdir(exist_ok=True)
    for table in ("orders", "events", "customers"):
        link, source = linked / f"{table}.parquet", raw / table
        if not link.exists():
            link.symlink_to(source if source.is_dir() else raw / f"{table}.parquet")
    return linked


def funnel_node_seconds(run_results: Path) -> float:
    """Node time of the funnel models (every model named *funnel*) in one build."""
    results = json.loads(run_results.read_text())["results"]
    return sum(r["execution_time"] for r in results
               if r["unique_id"].startswith("model.") and "funnel" in r["unique_id"].split(".")[-1])


def window_funnel_seconds(raw: Path) -> tuple[float, int]:
    """ClickHouse's windowFunnel (chdb) over the bench's events and completed orders: the
    furthest step per person of each ordered funnel whose definition it shares, exclusion
    steps aside (window_funnel.py).
    Seconds for the funnels' queries (reading the files included) and how many funnels."""
    import chdb

    from window_funnel import comparable_funnels, window_funnel_sql

    stream = f"""(
        select coalesce(nullif(customer_id, ''), anonymous_id) as person_id, event_name,
               parseDateTimeBestEffortOrNull(occurred_at) as at
        from file('{raw}/events/*.parquet', Parquet) where event_name != 'order_completed'
        union all
        select customer_id, 'order_completed', parseDateTimeBestEffortOrNull(ordered_at)
        from file('{raw}/orders/*.parquet', Parquet) where coalesce(status, 'completed') = 'completed'
    ) where at is not null"""
    funnels = comparable_funnels(with_exclusions=True)
    session = chdb.session.Session()
    started = time.perf_counter()
    for by_step, window in funnels.values():
        session.query(window_funnel_sql(by_step, window, stream, "at"))
    seconds = time.perf_counter() - started
    session.close()
    return seconds, len(funnels)


def window_funnel_agreement(db_path: Path) -> tuple[list[str], list[str]]:
    """People reaching each step of funnel_conversion against windowFunnel over the same
    person stream (int_person_events to the as-of day), for the funnels whose definition
    windowFunnel shares: the funnel test's check, at the bench's size. The funnels compared
    and those that differ, with both lists (none when all agree)."""
    import chdb

    from window_funnel import comparable_funnels, window_funnel_sql

    stream_file = db_path.parent / "person_stream.parquet"
    with duckdb.connect(str(db_path), read_only=True) as con:
        con.sql(f"""copy (
            select events.person_id, events.event_name, cast(epoch(events.occurred_at) as bigint) as ts
            from intermediate.int_person_events as events
            cross join intermediate.int_as_of_date as as_of
            where events.occurred_at < as_of.as_of_date + interval 1 day
        ) to '{stream_file}' (format parquet)""")
        reached = {name: [row[0] for row in con.sql(
            "select people_reached from marts.funnel_conversion where funnel_name = ? order by step_number",
            params=[name]).fetchall()] for name in comparable_funnels()}
    session = chdb.session.Session()
    differences = []
    for name, (by_step, window) in comparable_funnels().items():
        levels = session.query(window_funnel_sql(by_step, window, f"file('{stream_file}', Parquet)",
                                                 "toDateTime(ts)"), "DataFrame")
        expected = [int(levels.people[levels.level >= n].sum()) for n in range(1, len(by_step) + 1)]
        if expected != reached[name]:
            differences.append(f"{name}: windowFunnel {expected}, funnel_conversion {reached[name]}")
    session.close()
    stream_file.unlink()
    return list(comparable_funnels()), differences


def slowest_nodes(run_results: Path, count: int = 10) -> list[tuple[float, str]]:
    results = json.loads(run_results.read_text())["results"]
    timed = sorted(((r["execution_time"], r["unique_id"].split(".", 2)[-1]) for r in results), reverse=True)
    return timed[:count]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="2m")
    parser.add_argument("--customers", type=int, help="override the preset's customers")
    parser.add_argument("--browse-factor", type=float)
    parser.add_argument("--purchase-factor", type=float)
    parser.add_argument("--work", type=Path, help="data and database folder (default /tmp/lifecycle-bench/<size>)")
    parser.add_argument("--keep-full", action="store_true",
                        help="keep a copy of the database after the full build (full.duckdb) for --daily-only")
    parser.add_argument("--daily-only", action="store_true",
                        help="skip the full build: start the one-day build from the kept copy")
    parser.add_argument("--threads", type=int, help="dbt threads (default: the profile's, 2)")
    parser.add_argument("--target", choices=["duckdb", "spark", "postgres"], default="duckdb",
                        help="dbt target (profile)")
    parser.add_argument("--no-tiny-baseline", action="store_true",
                        help="skip the tiny preset's one-day build (the daily yardstick)")
    args = parser.parse_args(argv)
    baseline = None
    if args.size != "tiny" and not args.no_tiny_baseline and not args.customers:
        baseline = run(argparse.Namespace(**{**vars(args), "size": "tiny", "work": None, "daily_only": False,
                                             "keep_full": False}), quiet=True)
    results = run(args)
    if baseline:
        print(f"one-day build / the tiny preset's one-day build ({baseline['daily_s']:.1f} s, same invocation): "
              f"{results['daily_s'] / baseline['daily_s']:.2f}")


def run(args, quiet: bool = False) -> dict:
    """Generate (or reuse) the data, time the full and the one-day build; print the table
    unless quiet. Returns the figures."""
    customers, browse, purchase = SIZES[args.size]
    customers = args.customers or customers
    browse = args.browse_factor or browse
    purchase = args.purchase_factor or purchase
    label = args.size if (customers, browse, purchase) == SIZES[args.size] else f"{customers}c-{browse}b-{purchase}p"
    work = args.work or Path("/tmp/lifecycle-bench") / (label if args.target == "duckdb" else f"{label}-{args.target}")

    raw = generate(work, customers, browse, purchase)
    rows = count_rows(raw)
    day_rows = last_day_rows(work)
    if day_rows["events"] == 0:
        raise SystemExit(f"the held-back last day of {work} has no events: delete {work / 'split'} to split again")
    floor = floor_seconds(raw, 30)
    db_path = work / "bench.duckdb"
    kept = work / "full.duckdb"
    db_path.unlink(missing_ok=True)
    shutil.rmtree(work / "spark-warehouse", ignore_errors=True)
    shutil.rmtree(work / "spark-derby", ignore_errors=True)
    with contextlib.ExitStack() as stack:
        postgres = None
        if args.target == "postgres":
            if args.daily_only or args.keep_full:
                raise SystemExit("--daily-only and --keep-full need a database file: DuckDB only")
            postgres = stack.enter_context(throwaway_postgres())
            load_postgres(postgres, {table: str(raw / table / "**" / "*.parquet") for table in ("orders", "events")}
                          | {"customers": str(raw / "customers" / "*.parquet") if (raw / "customers").is_dir()
                             else str(raw / "customers.parquet")}, create=True)
        return measure(args, quiet, work, raw, rows, day_rows, floor, db_path, kept, label, customers, postgres)


def measure(args, quiet, work, raw, rows, day_rows, floor, db_path, kept, label, customers, postgres) -> dict:
    """The full and the one-day build, and the printed table."""
    if args.daily_only:
        if not kept.exists():
            raise SystemExit(f"--daily-only needs {kept}: run once with --keep-full")
        shutil.copy(kept, db_path)
        # the kept build's figures, so the ratio still prints
        full_s, full_gb = json.loads((work / "full.json").read_text()).values()
    else:
        full_s, full_gb = timed_dbt(["build", "--full-refresh"], db_path, raw, args.threads, args.target, postgres)
        # kept for a closer look: the one-day build overwrites run_results.json
        shutil.copy(db_path.parent / "target" / "run_results.json", db_path.parent / "run_results_full.json")
        if args.keep_full:
            shutil.copy(db_path, kept)
            (work / "full.json").write_text(json.dumps({"seconds": full_s, "peak_gb": full_gb}))
    slowest = slowest_nodes(db_path.parent / "run_results_full.json")

    for table in ("orders", "events"):  # the daily drop arrives
        shutil.copy(work / "last_day" / table / "day.parquet", raw / table / "last_day.parquet")
    if postgres:
        load_postgres(postgres, {table: str(work / "last_day" / table / "day.parquet") for table in ("orders", "events")},
                      create=False)
    try:
        # what the daily job runs (README: Scheduled jobs): incremental models, data tests
        incremental_s, incremental_gb = timed_dbt(["build", "--selector", "daily"], db_path, raw, args.threads,
                                                  args.target, postgres)
        incremental_slowest = slowest_nodes(db_path.parent / "target" / "run_results.json")
    finally:
        for table in ("orders", "events"):
            (raw / table / "last_day.parquet").unlink(missing_ok=True)

    figures = {"full_s": full_s, "daily_s": incremental_s}
    if quiet:
        return figures
    funnel_nodes = funnel_node_seconds(db_path.parent / "run_results_full.json")
    window_funnel, funnel_count = window_funnel_seconds(raw)
    compared, agreement = window_funnel_agreement(db_path) if args.target == "duckdb" else ([], None)
    events_per_s = rows["events"] / full_s
    print()
    print(f"size {label}: {customers:,} customers, {rows['events']:,} events, {rows['orders']:,} orders "
          f"(+ one day for the incremental build: {day_rows['events']:,} events, {day_rows['orders']:,} orders); "
          f"machine: {os.cpu_count()} cores")
    print(f"{'step':<28}{'seconds':>10}{'x floor':>10}{'peak GB':>10}{'events/s':>14}")
    print(f"{'floor (DuckDB, one script)':<28}{floor:>10.1f}{1.0:>10.2f}{'':>10}{rows['events'] / floor:>14,.0f}")
    print(f"{'dbt build --full-refresh':<28}{full_s:>10.1f}{full_s / floor:>10.2f}{full_gb:>10.2f}{events_per_s:>14,.0f}")
    print(f"{'daily build (one more day)':<28}{incremental_s:>10.1f}{incremental_s / floor:>10.2f}"
          f"{incremental_gb:>10.2f}{'':>14}")
    print(f"incremental / full: {incremental_s / full_s:.2f}")
    print(f"funnels: the project's funnel models {funnel_nodes:.1f} s of node time in the full build; "
          f"ClickHouse windowFunnel ({funnel_count} ordered funnels, chdb) {window_funnel:.1f} s; "
          f"ratio {funnel_nodes / window_funnel:.1f}")
    if agreement is not None:
        print("windowFunnel agreement (people reaching each step, funnels it shares): "
              + ("equal for " + ", ".join(compared) if not agreement else "DIFFERENT: " + "; ".join(agreement)))
    print("slowest nodes of the full build (seconds, run two at a time):")
    for seconds, name in slowest:
        print(f"  {seconds:8.1f}  {name}")
    print("slowest nodes of the one-day build:")
    for seconds, name in incremental_slowest:
        print(f"  {seconds:8.1f}  {name}")
    return figures


if __name__ == "__main__":
    main()
