"""`make test-spark`: the demo builds on Apache Spark (local pyspark, parquet tables) from the
same code, the dbt unit tests of every model that uses an engine-specific macro pass there
too (timestamp parsing with offsets, safe casts, epoch microseconds, medians, the build
clock), and every mart equals the DuckDB build: same rows, numbers equal to 1e-9 relative.

The data tests whose SQL the project writes (expression_is_true, accepted_range,
unique_combination, unique_where_written and the singular tests) run on Spark as well.
The unit tests are named from the manifest (those of models using an engine-specific
macro, but the ones listed in SPARK_SKIPPED_UNIT_TESTS), and only they run on Spark:
`--indirect-selection empty` keeps selecting `resource_type:model` from adding every other
unit test (the Spark build is the suite's critical path; the rest are plain SQL that
DuckDB and PostgreSQL run).

Both builds read the demo with hostile lines appended (a field too few, a field too many,
bytes that are not UTF-8, an email inside a ragged line): each engine rejects them with the
same reasons, keeps no address in a rejected line, and Spark's raw views are global
temporary views, so its metastore holds no raw table.

Both builds use `clv_probabilistic: false` (Spark's session mode runs no dbt Python models).
The Spark tables are parquet files in a warehouse folder, read back here with DuckDB.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import gzip

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from mart_comparison import DBT_BUILT_IN_TESTS, sort_rows, table_differences  # noqa: E402

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


def hostile_demo(folder: Path) -> Path:
    """The demo's files as plain CSV with HOSTILE_LINES appended."""
    folder.mkdir(parents=True)
    for table, lines in HOSTILE_LINES.items():
        with gzip.open(PROJECT_DIR / "data" / "demo" / f"{table}.csv.gz", "rb") as source:
            content = source.read()
        (folder / f"{table}.csv").write_bytes(content + b"".join(line + b"\n" for line in lines))
    return folder


def dbt(args: list[str], work: Path, env_extra: dict, raw_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR), DBT_PROJECT_ROOT=str(PROJECT_DIR), DO_NOT_TRACK="1",
               DBT_SEND_ANONYMOUS_USAGE_STATS="false", SPARK_LOCAL_IP="127.0.0.1", **env_extra)
    # cwd is a scratch folder (Spark drops metastore files there), so the data path is absolute
    vars_ = json.dumps({"clv_probabilistic": False, "raw_data_dir": str(raw_dir)})
    command = [DBT, *args, "--project-dir", str(PROJECT_DIR), "--vars", vars_, "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"dbt {' '.join(args)} failed:\n{result.stdout[-8000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="session")
def builds(tmp_path_factory):
    """(DuckDB database, Spark warehouse folder) of the demo, built the same way."""
    duck_work = tmp_path_factory.mktemp("duckdb")
    spark_work = tmp_path_factory.mktemp("spark")
    duck_db = duck_work / "demo.duckdb"
    raw_dir = hostile_demo(tmp_path_factory.mktemp("raw") / "hostile demo")
    # DuckDB: models and seeds (its data and unit tests run in `make test`); Spark: models,
    # seeds and the unit tests of models using engine-specific macros
    dbt(["build", "--exclude", "test_type:data", "test_type:unit"], duck_work, {"DUCKDB_PATH": str(duck_db)}, raw_dir)
    unit_tests = engine_specific_unit_tests(json.loads((duck_work / "target" / "manifest.json").read_text()))
    assert unit_tests, "no unit test covers an engine-specific macro"
    # the profile's default folders (spark-warehouse/, spark-derby/ in the working folder), as
    # README's by-hand commands use them
    warehouse = spark_work / "spark-warehouse"
    selection = ["resource_type:seed", "resource_type:model", *(f"unit_test:{name}" for name in unit_tests),
                 *PROJECT_WRITTEN_DATA_TESTS]
    result = dbt(["build", "--select", *selection, "--exclude", *(f"test_name:{name}" for name in DBT_BUILT_IN_TESTS),
                  *(f"unit_test:{name}" for name in SPARK_SKIPPED_UNIT_TESTS), "--indirect-selection", "empty",
                  "--target", "spark"],
                 spark_work, {}, raw_dir)
    ran = set(re.findall(r"PASS (?:\S+)::(\w+)", result.stdout))
    assert ran == set(unit_tests) - set(SPARK_SKIPPED_UNIT_TESTS), "Spark ran other unit tests than the listed ones"
    assert set(SPARK_SKIPPED_UNIT_TESTS) <= all_unit_tests(duck_work), "a unit test skipped on Spark was renamed"
    (spark_work / "build.log").write_text(result.stdout)
    return duck_db, warehouse


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


def test_email_hashes_equal_the_duckdb_build(builds):
    """Both engines hash emails in their raw views: the same keyed hash of the same address
    on both, with the same (development) key."""
    duck_db, warehouse = builds
    with duckdb.connect(str(duck_db), read_only=True) as con:
        expected = con.sql("select customer_id, email_hash from staging.base_raw__customers").df()
    actual = duckdb.sql(f"select customer_id, email_hash from "
                        f"read_parquet('{warehouse / 'staging.db' / 'base_raw__customers'}/*.parquet')").df()
    assert expected.email_hash.notna().sum() > 1000
    assert sort_rows(expected.astype(object).where(expected.notna(), None)).equals(
        sort_rows(actual.astype(object).where(actual.notna(), None)))


def test_rejects_equal_the_duckdb_build(builds):
    """The same raw rows rejected for the same reasons, hostile lines included; no address in
    a rejected line on either engine."""
    duck_db, warehouse = builds
    columns = "source_table, coalesce(record_id, '') as record_id, reject_reason"
    with duckdb.connect(str(duck_db), read_only=True) as con:
        expected = con.sql(f"select {columns}, raw_record from staging.stg_raw__rejects").df()
    parts = " union all ".join(
        f"select '{table}' as source_table, {key} as record_id, reject_reason, raw_record "
        f"from read_parquet('{warehouse / 'staging.db' / f'base_raw__{table}'}/**/*.parquet') "
        "where reject_reason is not null"
        for table, key in (("orders", "order_id"), ("events", "event_id"), ("customers", "customer_id")))
    actual = duckdb.sql(f"select {columns}, raw_record from ({parts})").df()
    reasons = set(actual.reject_reason)
    assert {"malformed_row", "bad_encoding"} <= reasons
    assert (actual.reject_reason == "malformed_row").sum() == 4
    for frame in (expected, actual):
        assert not frame.raw_record.str.contains("@").any()
    key = ["source_table", "record_id", "reject_reason"]
    assert sort_rows(expected[key]).equals(sort_rows(actual[key]))


def test_spark_keeps_no_raw_table_in_its_metastore(builds):
    _, warehouse = builds
    assert not (warehouse / "raw_files.db").exists()
    derby = warehouse.parent / "spark-derby"
    stored = b"".join(path.read_bytes() for path in derby.rglob("*") if path.is_file())
    assert b"base_raw__orders" in stored  # the metastore's files hold table names as plain text
    assert HOSTILE_EMAIL.encode() not in stored and b"orders__files" not in stored
