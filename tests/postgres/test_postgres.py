"""`make test-postgres`: the project on PostgreSQL from the same code, on a throwaway server
this test starts and stops itself (scripts/throwaway_postgres.py: its own data folder, a
free local port; it never touches a server it did not start).

The data are the demo cut into a history and the daily drops of
tests/python/test_incremental.py (late events, a repeated and a copied row, a visitor
identifying, an event moving to another customer, a late order, a refund of the order that
opened a stream), loaded into raw tables (warehouse mode: `raw_schema`). The project is
built from scratch on the history, then run once per drop, and the last drop's run is
retried as a `dbt build`: every model again (nothing may be counted twice), every unit
test and every data test whose SQL the project writes (dbt's built-in ones run on DuckDB).
1. That build passes.
2. Every mart, the staged and rejected rows and every incremental table equal the DuckDB
   full-refresh build of the same files (file mode, shared with test_incremental.py, which
   proves DuckDB's daily runs equal it): same rows, numbers equal to 1e-9 relative. So
   the person-grain models really delete on PostgreSQL (DELETE ... USING), unlike Spark's
   parquet tables, and its full-refresh SQL (the history's build) is the DuckDB one's.

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
from test_incremental import (DROPS_IN_ORDER, SEEDS_AND_MODELS_FROM_SCRATCH,  # noqa: E402,F401
                              STAGED_AND_INCREMENTAL_TABLES, VARS,
                              drops, every_drop_full_build)  # (drops, every_drop_full_build: fixtures)
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
    """(DuckDB full-refresh build of every drop's files, shared with test_incremental.py;
    env of the PostgreSQL database built drop by drop; the retried last run's output)."""
    _, staged, *_ = drops
    vars_ = {**VARS, **PG_VARS}
    env = create_database(server, "incremental")
    create_raw_tables(env)
    with gzip.open(DEMO / "customers.csv.gz", "rt", newline="") as file:
        append_csv(env, "customers", file.read())
    work = tmp_path_factory.mktemp("incremental")
    deliver_to(env, staged, "history")
    dbt(SEEDS_AND_MODELS_FROM_SCRATCH, work, env, vars_)
    for drop in DROPS_IN_ORDER[1:]:
        deliver_to(env, staged, drop)
        dbt(["run"], work, env, vars_)
    # the last run retried as a build: every model, unit test and project-written data test
    output = dbt(["build", "--exclude", *(f"test_name:{name}" for name in DBT_BUILT_IN_TESTS)],
                 work, env, vars_).stdout
    return every_drop_full_build, env, output


def test_the_project_builds_with_its_unit_and_data_tests(builds):
    *_, output = builds
    assert "ERROR=0" in output and "Completed successfully" in output
    unit_tests = output.count("START unit_test ")
    assert unit_tests >= 60, f"only {unit_tests} unit tests ran on PostgreSQL"
    project_tests = output.count("START test expression_is_true_") + output.count("START test assert_")
    assert project_tests >= 20, f"only {project_tests} of the project's data tests ran on PostgreSQL"
    assert "START test not_null_" not in output


def test_every_mart_equals_the_duckdb_build(builds):
    duck_db, postgres, _ = builds
    with duckdb.connect(str(duck_db), read_only=True) as con:
        names = [row[0] for row in con.sql("select table_name from information_schema.tables "
                                           "where table_schema = 'marts' order by 1").fetchall()]
    assert len(names) >= 24 and mart_names_in(postgres) == names
    problems = []
    for name in names:
        with duckdb.connect(str(duck_db), read_only=True) as con:
            expected = con.sql(f"select * from marts.{name}").df()
        problems += table_differences(name, expected, read_table(postgres, f"marts.{name}"), "PostgreSQL")
    assert not problems, "\n".join(problems)


def test_email_hashes_equal_the_duckdb_build(builds):
    duck_db, postgres, _ = builds
    with duckdb.connect(str(duck_db), read_only=True) as con:
        expected = con.sql("select customer_id, email_hash from staging.base_raw__customers").df()
    actual = read_table(postgres, "staging.base_raw__customers")[["customer_id", "email_hash"]]
    assert expected.email_hash.notna().sum() > 1000
    assert not table_differences("base_raw__customers", expected, actual, "PostgreSQL")


def test_daily_increments_leave_staging_and_incremental_tables_equal_to_duckdb(builds):
    duck_db, postgres, _ = builds
    # a customer row's id fingerprints the raw row as its source hands it over: file mode's
    # raw view has hashed the email already, a warehouse table holds it in clear
    not_compared = {"staging.base_raw__customers": ("processed_at", "raw_row_id")}
    problems = []
    for table in STAGED_AND_INCREMENTAL_TABLES:
        exclude = not_compared.get(table, ("processed_at",))
        with duckdb.connect(str(duck_db), read_only=True) as con:
            expected = con.sql(f"select * from {table}").df().drop(columns=list(exclude), errors="ignore")
        problems += table_differences(table, expected, read_table(postgres, table, exclude=exclude),
                                      "PostgreSQL (incremental)")
    assert not problems, "the daily runs on PostgreSQL differ from DuckDB's full refresh:\n" + "\n".join(problems)
