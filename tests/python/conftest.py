"""Shared helpers: run the real dbt project into an isolated DuckDB file."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from filelock import FileLock

PROJECT_DIR = Path(__file__).resolve().parents[2]
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
DBT = str(Path(sys.executable).with_name("dbt"))


def run_dbt(args, db_path: Path, vars_: dict | None = None, expect_ok: bool = True, target: str | None = None):
    """Run a dbt command against its own database file and target directory."""
    work = db_path.parent
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR), DUCKDB_PATH=str(db_path),
               DO_NOT_TRACK="1", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    command = [DBT, *args, "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    if target:
        command += ["--target", target]
    if vars_:
        command += ["--vars", json.dumps(vars_)]
    result = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    if expect_ok and result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return result


def query(db_path: Path, sql: str):
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.sql(sql).df()


def tables_in_schema(db_path: Path, schema: str) -> list[str]:
    frame = query(db_path, f"select table_name from information_schema.tables where table_schema = '{schema}'"
                            " and table_type = 'BASE TABLE'"
                            " order by table_name")
    return frame["table_name"].tolist()


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory, worker_id):
    """One full `dbt build` (models, seeds, data and unit tests) of the bundled demo data,
    shared by the pytest-xdist workers: the first to need it builds it, under a lock."""
    base = tmp_path_factory.getbasetemp()
    root = base if worker_id == "master" else base.parent
    folder = root / "demo-build"
    with FileLock(str(root / "demo-build.lock")):
        if not (folder / "done").exists():
            folder.mkdir(exist_ok=True)
            run_dbt(["build"], folder / "demo.duckdb")
            (folder / "done").touch()
    return folder / "demo.duckdb"
