"""`make test-postgres`: the project on PostgreSQL from the same code, on a throwaway server
this test starts and stops itself (scripts/throwaway_postgres.py: its own data folder, a
free local port; it never touches a server it did not start).

The data are the demo cut into a history and the daily drops of
tests/python/test_incremental.py (late events, a repeated and a copied row, a visitor
identifying, an event moving to another customer, a late order, a refund of the order that
opened a stream), loaded into raw tables (warehouse mode: `raw_schema`).
1. With every drop loaded, the project builds with every seed, model and unit test and
   every data test whose SQL the project writes (dbt's built-in ones run on DuckDB), and
   every mart equals the DuckDB build of the same files (file mode): same rows, numbers
   equal to 1e-9 relative.
2. Appended one drop per incremental run, the last one twice, the drops leave every mart,
   the staged and rejected rows and every incremental table equal to that full build: the
   person-grain models really delete on PostgreSQL (DELETE ... USING), unlike Spark's
   parquet tables.

The raw tables carry file mode's two line columns (NULL), so the fixtures of the unit tests
that feed the raw sources as file mode delivers them resolve; warehouse mode ignores
columns beyond the contract. Both engines build with `clv_probabilistic: false`
(dbt-postgres runs no Python models).
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

TESTS = Path(__file__).resolve().parents[1]
PROJECT_DIR = TESTS.parent
sys.path[:0] = [str(TESTS), str(TESTS / "python"), str(PROJECT_DIR / "scripts")]
from mart_comparison import DBT_BUILT_IN_TESTS, table_differences  # noqa: E402
from test_incremental import (DROPS_IN_ORDER, INCREMENTAL_TABLES, SEEDS_AND_MODELS_FROM_SCRATCH,  # noqa: E402,F401
                              VARS, drops, every_drop_full_build)  # (drops, every_drop_full_build: fixtures)
from throwaway_postgres import server_bin_dir, throwaway_postgres  # noqa: E402

psycopg2 = pytest.importorskip("psycopg2", reason="the PostgreSQL extra: pip install -r requirements-postgres.txt")
if server_bin_dir() is None:
    pytest.skip("PostgreSQL server binaries not found (make test installs Debian's postgresql as root)",
                allow_module_level=True)

DBT = str(Path(sys.executable).with_name("dbt"))
DEMO = PROJECT_DIR / "data" / "demo"
RAW_TABLES = ("orders", "events", "customers")
LINE_COLUMNS = ("raw_line_problem", "raw_line")
PG_VARS = {"raw_schema": "raw", "clv_probabilistic": False}


@pytest.fixture(scope="module")
def server():
    with throwaway_postgres() as env:
        yield env


def connect(env: dict, database: str | None = None):
    return psycopg2.connect(host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"],
                            dbname=database or env["PGDATABASE"])


def create_database(env: dict, database: str) -> dict:
    con = connect(env)
    con.autocommit = True  # CREATE DATABASE runs outside a transaction
    con.cursor().execute(f'create database "{database}"')
    con.close()
    return {**env, "PGDATABASE": database}


def create_raw_tables(env: dict) -> None:
    """raw.orders, raw.events, raw.customers: the demo files' columns as text, plus the
    line columns."""
    with connect(env) as con, con.cursor() as cur:
        cur.execute("create schema raw")
        for table in RAW_TABLES:
            with gzip.open(DEMO / f"{table}.csv.gz", "rt", newline="") as file:
                header = next(csv.reader(file))
            columns = ", ".join(f'"{column}" text' for column in [*header, *LINE_COLUMNS])
            cur.execute(f"create table raw.{table} ({columns})")


def append_csv(env: dict, table: str, text: str) -> None:
    """Append a CSV text (with a header line) to raw.<table>: unquoted empty fields are NULL."""
    header = next(csv.reader(io.StringIO(text)))
    with connect(env) as con, con.cursor() as cur:
        cur.copy_expert(f"copy raw.{table} ({', '.join(chr(34) + c + chr(34) for c in header)}) "
                        "from stdin with (format csv, header true)", io.StringIO(text))


def dbt(args: list[str], work: Path, env: dict, vars_: dict) -> subprocess.CompletedProcess:
    work.mkdir(parents=True, exist_ok=True)
    full_env = dict(os.environ, **env, DBT_PROFILES_DIR=str(PROJECT_DIR), DBT_PROJECT_ROOT=str(PROJECT_DIR),
                    DO_NOT_TRACK="1", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    command = [DBT, "--no-write-json", *args, "--project-dir", str(PROJECT_DIR), "--target", "postgres",
               "--vars", json.dumps(vars_), "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    result = subprocess.run(command, cwd=work, env=full_env, capture_output=True, text=True)
    assert result.returncode == 0, f"dbt {' '.join(args)} failed:\n{result.stdout[-8000:]}\n{result.stderr[-3000:]}"
    return result


def read_table(env: dict, table: str, exclude: tuple[str, ...] = ()) -> pd.DataFrame:
    with connect(env) as con, con.cursor() as cur:
        cur.execute(f"select * from {table}")
        frame = pd.DataFrame(cur.fetchall(), columns=[column.name for column in cur.description])
    return frame.drop(columns=[column for column in exclude if column in frame.columns])


def mart_names_in(env: dict) -> list[str]:
    with connect(env) as con, con.cursor() as cur:
        cur.execute("select table_name from information_schema.tables where table_schema = 'marts' order by 1")
        return [row[0] for row in cur.fetchall()]


def deliver_to(env: dict, staged: Path, drop: str) -> None:
    for table in ("events", "orders"):
        for file in sorted((staged / drop / table).glob("*.csv")):
            append_csv(env, table, file.read_text())


@pytest.fixture(scope="module")
def builds(server, drops, every_drop_full_build, tmp_path_factory):
    """Over the daily drops of test_incremental.py, every drop delivered: (DuckDB database
    built from the files, shared with test_incremental.py; env of the PostgreSQL full
    build, env of the PostgreSQL database built drop by drop, the full build's output)."""
    _, staged, *_ = drops
    vars_ = {**VARS, **PG_VARS}
    duck_db = every_drop_full_build

    full, incremental = create_database(server, "full_refresh"), create_database(server, "incremental")
    for env in (full, incremental):
        create_raw_tables(env)
        with gzip.open(DEMO / "customers.csv.gz", "rt", newline="") as file:
            append_csv(env, "customers", file.read())
    for drop in DROPS_IN_ORDER:
        deliver_to(full, staged, drop)
    # seeds, models, every unit test and every data test whose SQL the project writes
    output = dbt(["build", "--exclude", *(f"test_name:{name}" for name in DBT_BUILT_IN_TESTS)],
                 tmp_path_factory.mktemp("full"), full, vars_).stdout

    work = tmp_path_factory.mktemp("incremental")
    deliver_to(incremental, staged, "history")
    dbt(SEEDS_AND_MODELS_FROM_SCRATCH, work, incremental, vars_)
    for drop in DROPS_IN_ORDER[1:]:
        deliver_to(incremental, staged, drop)
        dbt(["run"], work, incremental, vars_)
    dbt(["run"], work, incremental, vars_)  # a retried job: nothing may be counted twice
    return duck_db, full, incremental, output


def test_the_project_builds_with_its_unit_and_data_tests(builds):
    *_, output = builds
    assert "ERROR=0" in output and "Completed successfully" in output
    unit_tests = output.count("START unit_test ")
    assert unit_tests >= 60, f"only {unit_tests} unit tests ran on PostgreSQL"
    project_tests = output.count("START test expression_is_true_") + output.count("START test assert_")
    assert project_tests >= 20, f"only {project_tests} of the project's data tests ran on PostgreSQL"
    assert "START test not_null_" not in output


def test_every_mart_equals_the_duckdb_build(builds):
    duck_db, full, *_ = builds
    with duckdb.connect(str(duck_db), read_only=True) as con:
        names = [row[0] for row in con.sql("select table_name from information_schema.tables "
                                           "where table_schema = 'marts' order by 1").fetchall()]
    assert len(names) >= 24 and mart_names_in(full) == names
    problems = []
    for name in names:
        with duckdb.connect(str(duck_db), read_only=True) as con:
            expected = con.sql(f"select * from marts.{name}").df()
        problems += table_differences(name, expected, read_table(full, f"marts.{name}"), "PostgreSQL")
    assert not problems, "\n".join(problems)


def test_email_hashes_equal_the_duckdb_build(builds):
    duck_db, full, *_ = builds
    with duckdb.connect(str(duck_db), read_only=True) as con:
        expected = con.sql("select customer_id, email_hash from staging.base_raw__customers").df()
    actual = read_table(full, "staging.base_raw__customers")[["customer_id", "email_hash"]]
    assert expected.email_hash.notna().sum() > 1000
    assert not table_differences("base_raw__customers", expected, actual, "PostgreSQL")


def test_daily_increments_equal_a_full_refresh(builds):
    _, full, incremental, _ = builds
    compared = [f"marts.{name}" for name in mart_names_in(full)]
    assert len(compared) > 20
    compared += [f"staging.base_raw__{table}" for table in RAW_TABLES]
    compared += [f"intermediate.{name}" for name in INCREMENTAL_TABLES]
    problems = []
    for table in compared:
        problems += table_differences(table, read_table(full, table, exclude=("processed_at",)),
                                      read_table(incremental, table, exclude=("processed_at",)), "incremental")
    assert not problems, "incremental build differs from the full refresh:\n" + "\n".join(problems)
