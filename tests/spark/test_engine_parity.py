"""`make test-spark`: the project builds on Apache Spark (local pyspark, parquet tables)
from the same code, runs a daily increment there, and every mart, staged table and
incremental table then equals DuckDB's full refresh of the same files: same rows, numbers
equal to 1e-9 relative.

The data are the history and daily drops of tests/python/test_incremental.py (late events,
a repeated and a copied row, a visitor identifying, an event moving to another customer, a
late order, a refund of an order already built), delivered as one growing CSV per table
(Spark's file mode reads `<table>.csv*`, not a folder). Spark builds what a daily run
reads back (the incremental models and their parents) from scratch on the history and the
first two drops, then runs the last drop, with hostile lines appended (a field too few, a
field too many, bytes that are not UTF-8, an email inside a ragged line), as a daily
`dbt build` of the whole project: `base_raw__events` overwrites the day partitions the run
touches, every other model is a table on parquet (the person-grain models rebuild). The
DuckDB side is test_incremental's full refresh of every drop (shared with it and the
PostgreSQL test; DuckDB's daily runs equal it there), so the hostile lines are Spark's
alone: each is rejected as DuckDB rejects such lines (tests/python/test_bad_rows.py), no
address stays in a rejected line, and Spark's raw views are global temporary views, so
its metastore holds no raw table.

In the daily build the data tests whose SQL the project writes (expression_is_true,
accepted_range, unique_combination, unique_where_written and the singular tests) run on
Spark, and the dbt unit tests of the models that use an engine-specific macro (timestamp
parsing with offsets, safe casts, epoch microseconds, medians, the build clock, month
arithmetic), but the ones listed in SPARK_SKIPPED_UNIT_TESTS, named from the manifest:
`--indirect-selection empty` keeps selecting `resource_type:model` from adding every other
unit test (the rest are plain SQL that DuckDB and PostgreSQL run).

Both engines build with test_incremental's vars (`clv_probabilistic: false`: Spark's session
mode runs no dbt Python models). The Spark tables are parquet files in a warehouse folder,
read back here with DuckDB.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS), str(TESTS / "python")]
from mart_comparison import DBT_BUILT_IN_TESTS, sort_rows, table_differences  # noqa: E402
from test_incremental import (DEMO, DROPS_IN_ORDER, SEEDS_AND_MODELS_FROM_SCRATCH,  # noqa: E402,F401
                              STAGED_AND_INCREMENTAL_TABLES, VARS,
                              drops, every_drop_full_build)  # (drops, every_drop_full_build: fixtures)

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))
HOSTILE_EMAIL = "Ragged.Line@Example.com"
HOSTILE_LINES = {
    "orders": [b"o_bad_short,c_000001,2024-03-01 10:00:00,10.00",
               b"o_bad_long,c_000001,2024-03-01 10:00:00,10.00,completed,surplus",
               b"o_bad_encoding,c_000001\xff,2024-03-01 10:00:00,10.00,completed"],
    "events": [b"e_bad_short,only,three"],
    "customers": [f"c_bad_ragged,{HOSTILE_EMAIL},2024-01-01".encode()],
}
# Data tests whose SQL this project writes (its generic tests and the singular ones) run on
# Spark too: SQL of one engine there fails the build (dbt's built-in ones: mart_comparison).
PROJECT_WRITTEN_DATA_TESTS = ["test_name:expression_is_true", "test_name:accepted_range",
                              "test_name:unique_combination", "test_name:unique_where_written", "test_type:singular"]
# unit tests that only feed the funnel engine other stories: on Spark each costs 20-40 s,
# mostly planning (the engine's steps), and the engine's Spark path (the window and the map
# chain) is run there by int_funnel_attempt_steps_stories, every order mode,
# and by the mart comparison (the seeded exclusion included); the ranking, incremental and
# exclusion logic they check is plain SQL. The window-units story stays: it runs Spark's
# own month arithmetic (spark__add_months_to_timestamp).
SPARK_SKIPPED_UNIT_TESTS = ["daily_best_attempts_keep_the_best_attempt_of_each_day",
                            "daily_best_attempts_incremental_from_the_first_reached_day",
                            "funnel_exclusions_stop_attempts_between_their_steps"]


def deliver_cumulative(raw_dir: Path, staged: Path, drops: tuple[str, ...], hostile: bool) -> None:
    """Every row of the given drops (test_incremental's staged files) as one CSV per table
    in raw_dir, the way a feed that rewrites one growing file delivers them (Spark's file
    mode reads `<table>.csv*`, not a folder), with HOSTILE_LINES appended when asked."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    for table in ("orders", "events"):
        header, rows = b"", []
        for drop in drops:
            for file in sorted((staged / drop / table).glob("*.csv")):
                first, _, rest = file.read_bytes().partition(b"\n")
                assert header in (b"", first), f"{file.name}: other columns than the drops before it"
                header = first
                rows.append(rest)
        lines = HOSTILE_LINES[table] if hostile else []
        hostile_lines = b"".join(line + b"\n" for line in lines)
        (raw_dir / f"{table}.csv").write_bytes(header + b"\n" + b"".join(rows) + hostile_lines)
    with gzip.open(DEMO / "customers.csv.gz", "rb") as source:
        customers = source.read()
    lines = HOSTILE_LINES["customers"] if hostile else []
    (raw_dir / "customers.csv").write_bytes(customers + b"".join(line + b"\n" for line in lines))


def dbt(args: list[str], work: Path, raw_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR), DBT_PROJECT_ROOT=str(PROJECT_DIR), DO_NOT_TRACK="1",
               DBT_SEND_ANONYMOUS_USAGE_STATS="false", SPARK_LOCAL_IP="127.0.0.1")
    # cwd is a scratch folder (Spark drops metastore files there), so the data path is absolute
    vars_ = json.dumps({**VARS, "raw_data_dir": str(raw_dir)})
    command = [DBT, *args, "--project-dir", str(PROJECT_DIR), "--vars", vars_, "--target", "spark",
               "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"dbt {' '.join(args)} failed:\n{result.stdout[-8000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def builds(drops, every_drop_full_build, tmp_path_factory):
    """(DuckDB full-refresh build of every drop, shared with test_incremental.py; Spark
    warehouse folder after the incremental models built from scratch on the history and
    the first two drops, and the last drop, with the hostile lines, as a daily build)."""
    _, staged, *_ = drops
    spark_work = tmp_path_factory.mktemp("spark")
    raw_dir = tmp_path_factory.mktemp("raw") / "daily feed"
    # the profile's default folders (spark-warehouse/, spark-derby/ in the working folder), as
    # README's by-hand commands use them
    warehouse = spark_work / "spark-warehouse"
    deliver_cumulative(raw_dir, staged, DROPS_IN_ORDER[:-1], hostile=False)
    # on parquet only the day-partitioned models are incremental: the rest are rebuilt by
    # any run, so the daily build below builds them all
    scratch = dbt([*SEEDS_AND_MODELS_FROM_SCRATCH, "--select", "+config.materialized:incremental"], spark_work, raw_dir)
    assert "OK created sql incremental model staging.base_raw__events" in scratch.stdout
    unit_tests = engine_specific_unit_tests(json.loads((spark_work / "target" / "manifest.json").read_text()))
    assert unit_tests, "no unit test covers an engine-specific macro"
    assert set(SPARK_SKIPPED_UNIT_TESTS) <= all_unit_tests(spark_work), "a unit test skipped on Spark was renamed"

    # the daily run: models (incremental ones from their tables), seeds, the unit tests of
    # models using engine-specific macros and the data tests whose SQL the project writes
    deliver_cumulative(raw_dir, staged, DROPS_IN_ORDER, hostile=True)
    selection = ["resource_type:seed", "resource_type:model", *(f"unit_test:{name}" for name in unit_tests),
                 *PROJECT_WRITTEN_DATA_TESTS]
    result = dbt(["build", "--no-write-json", "--select", *selection,
                  "--exclude", *(f"test_name:{name}" for name in DBT_BUILT_IN_TESTS),
                  *(f"unit_test:{name}" for name in SPARK_SKIPPED_UNIT_TESTS), "--indirect-selection", "empty"],
                 spark_work, raw_dir)
    ran = set(re.findall(r"PASS (?:\S+)::(\w+)", result.stdout))
    assert ran == set(unit_tests) - set(SPARK_SKIPPED_UNIT_TESTS), "Spark ran other unit tests than the listed ones"
    assert "OK created sql incremental model staging.base_raw__events" in result.stdout
    (spark_work / "build.log").write_text(result.stdout)
    return every_drop_full_build, warehouse


def all_unit_tests(work: Path) -> set[str]:
    return {test["name"] for test in json.loads((work / "target" / "manifest.json").read_text())["unit_tests"].values()}


def engine_specific_unit_tests(manifest: dict) -> list[str]:
    """Unit tests of models that use, directly or through other macros, a macro with an
    engine variant (duckdb__ or spark__); materialization configs (*_config) excluded."""
    macros = manifest["macros"]
    own = {m["name"] for m in macros.values() if m["package_name"] == "customer_lifecycle"}
    engine_specific = {name for name in own if not name.endswith("_config")
                       and (f"spark__{name}" in own or f"duckdb__{name}" in own)}

    def used(macro_ids, seen):
        for macro_id in macro_ids:
            if macro_id not in seen:
                seen.add(macro_id)
                used(macros.get(macro_id, {}).get("depends_on", {}).get("macros", []), seen)
        return {macro_id.split(".")[-1] for macro_id in seen}

    return sorted(test["name"] for test in manifest["unit_tests"].values()
                  if used(manifest["nodes"][test["depends_on"]["nodes"][0]]["depends_on"]["macros"], set())
                  & engine_specific)


def mart_names(duck_db: Path) -> list[str]:
    with duckdb.connect(str(duck_db), read_only=True) as con:
        return [row[0] for row in con.sql("select table_name from information_schema.tables "
                                           "where table_schema = 'marts' order by 1").fetchall()]


def test_every_mart_equals_the_duckdb_build(builds):
    duck_db, warehouse = builds
    names = mart_names(duck_db)
    assert len(names) >= 24
    problems = []
    for name in names:
        with duckdb.connect(str(duck_db), read_only=True) as con:
            expected = con.sql(f"select * from marts.{name}").df()
        spark_files = warehouse / "marts.db" / name
        assert spark_files.exists(), f"Spark did not build marts.{name}"
        actual = duckdb.sql(f"select * from read_parquet('{spark_files}/*.parquet')").df()
        problems += table_differences(name, expected, actual, "Spark")
    assert not problems, "\n".join(problems)


def spark_table(warehouse: Path, table: str):
    """A Spark table's parquet files (day partitions included), read with DuckDB."""
    schema, name = table.split(".")
    return duckdb.sql(f"select * from read_parquet('{warehouse / f'{schema}.db' / name}/**/*.parquet')")


def test_email_hashes_equal_the_duckdb_build(builds):
    """Both engines hash emails in their raw views: the same keyed hash of the same address
    on both, with the same (development) key."""
    duck_db, warehouse = builds
    # the hostile customer line (Spark's feed only) is a malformed row
    query = ("select customer_id, email_hash from {} where reject_reason is distinct from 'malformed_row'")
    with duckdb.connect(str(duck_db), read_only=True) as con:
        expected = con.sql(query.format("staging.base_raw__customers")).df()
    actual = duckdb.sql(query.format(f"({spark_table(warehouse, 'staging.base_raw__customers').sql_query()})")).df()
    assert expected.email_hash.notna().sum() > 1000
    assert sort_rows(expected.astype(object).where(expected.notna(), None)).equals(
        sort_rows(actual.astype(object).where(actual.notna(), None)))


def test_rejects_equal_the_duckdb_build_plus_the_hostile_lines(builds):
    """The same raw rows rejected for the same reasons, and each hostile line rejected as
    DuckDB rejects it (tests/python/test_bad_rows.py); no address in a rejected line."""
    duck_db, warehouse = builds
    columns = "source_table, coalesce(record_id, '') as record_id, reject_reason"
    with duckdb.connect(str(duck_db), read_only=True) as con:
        expected = con.sql(f"select {columns}, raw_record from staging.stg_raw__rejects").df()
    parts = " union all ".join(
        f"select '{table}' as source_table, {key} as record_id, reject_reason, raw_record "
        f"from ({spark_table(warehouse, f'staging.base_raw__{table}').sql_query()}) where reject_reason is not null"
        for table, key in (("orders", "order_id"), ("events", "event_id"), ("customers", "customer_id")))
    actual = duckdb.sql(f"select {columns}, raw_record from ({parts})").df()
    for frame in (expected, actual):
        assert not frame.raw_record.str.contains("@").any()
    key = ["source_table", "record_id", "reject_reason"]
    only_spark = Counter(map(tuple, actual[key].values)) - Counter(map(tuple, expected[key].values))
    only_duckdb = Counter(map(tuple, expected[key].values)) - Counter(map(tuple, actual[key].values))
    assert not only_duckdb, only_duckdb
    # a line of the wrong width has no id; one that is not UTF-8 keeps its (readable) id
    assert only_spark == {("orders", "", "malformed_row"): 2, ("orders", "o_bad_encoding", "bad_encoding"): 1,
                          ("events", "", "malformed_row"): 1, ("customers", "", "malformed_row"): 1}


def test_the_daily_run_leaves_staging_and_incremental_tables_equal_to_duckdb(builds):
    """After the daily run, the staged rows and every incremental table equal DuckDB's full
    refresh of the same files (the hostile lines aside): Spark's day partitions and
    rebuilt person-grain tables hold what a full refresh would."""
    duck_db, warehouse = builds
    problems = []
    for table in STAGED_AND_INCREMENTAL_TABLES:
        with duckdb.connect(str(duck_db), read_only=True) as con:
            expected = con.sql(f"select * from {table}").df()
        actual = spark_table(warehouse, table).df()
        if table.startswith("staging."):  # the hostile lines: only in Spark's feed
            actual, expected = (frame[~frame.reject_reason.isin(["malformed_row", "bad_encoding"])]
                                for frame in (actual, expected))
        problems += table_differences(table, expected.drop(columns=["processed_at"], errors="ignore"),
                                      actual.drop(columns=["processed_at"], errors="ignore"), "Spark")
    assert not problems, "\n".join(problems)


def test_spark_keeps_no_raw_table_in_its_metastore(builds):
    _, warehouse = builds
    assert not (warehouse / "raw_files.db").exists()
    derby = warehouse.parent / "spark-derby"
    stored = b"".join(path.read_bytes() for path in derby.rglob("*") if path.is_file())
    assert b"base_raw__orders" in stored  # the metastore's files hold table names as plain text
    assert HOSTILE_EMAIL.encode() not in stored and b"orders__files" not in stored
