"""Shared helpers: run the real dbt project into an isolated DuckDB file."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest
from filelock import FileLock

PROJECT_DIR = Path(__file__).resolve().parents[2]
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
DBT = str(Path(sys.executable).with_name("dbt"))
# dbt's full parse (about 12 s alone, 7 s more than starting from a saved one, and twice
# that beside the other workers) is most of a small invocation. Each test has its own
# folder, so none could reuse another's parse: the first invocation with given vars and
# target leaves its partial_parse.msgpack here and the next ones start from a copy. dbt
# checks the copy (vars, target, the profile's connection values, every file's checksum)
# and parses afresh when anything differs, so a stale copy costs time only. For the
# profile to match, every test's database is `lifecycle.duckdb` in its own folder, given
# relative to that folder (dbt's working directory), and raw folders inside it can be
# passed relative too. The cache folder is per pytest run (xdist workers share their
# parent's pid).
DB_FILE = "lifecycle.duckdb"
_RUN_PID = os.getppid() if os.environ.get("PYTEST_XDIST_WORKER") else os.getpid()
PARSE_CACHE = Path(tempfile.gettempdir()) / f"lifecycle-parse-cache-{_RUN_PID}"


# `dbt build` arguments for a build whose input differs from the demo only in how the raw
# data arrives (file layout, warehouse types, a clean copy of a dirty feed): staging's data
# tests run, while those of the intermediate models and marts, which read the same staged
# contract whatever the input mode, are left to the demo build and to the builds that
# change what reaches them (orders alone, bad rows). No unit tests: they test code.
STAGING_CHECKS_ONLY = ["--exclude", "test_type:unit", "test_type:data,path:models/intermediate",
                       "test_type:data,path:models/marts"]


def dbt_invocation(args, db_path: Path, vars_: dict | None = None, target: str | None = None,
                   write_json: bool = False):
    """(command, env, working folder) of a dbt command against db_path's database, in its
    folder, with its own target and log folders. A relative raw_data_dir is read from that
    folder; without one, the demo data. Without write_json, dbt writes no manifest.json,
    run_results.json or sources.json (a second or more of each invocation), only its parse."""
    work = db_path.parent
    work.mkdir(parents=True, exist_ok=True)
    if not {"raw_data_dir", "raw_schema"} & set(vars_ or {}) and not (work / "data").exists():
        (work / "data").symlink_to(PROJECT_DIR / "data")  # the default raw_data_dir, data/demo
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR), DBT_PROJECT_ROOT=str(PROJECT_DIR), DUCKDB_PATH=db_path.name,
               DO_NOT_TRACK="1", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    command = [DBT, "--write-json" if write_json else "--no-write-json", *args, "--project-dir", str(PROJECT_DIR),
               "--target-path", str(work / "target"),
               "--log-path", str(work / "logs")]
    if target:
        command += ["--target", target]
    if vars_:
        command += ["--vars", json.dumps(vars_)]
    return command, env, work


def run_dbt(args, db_path: Path, vars_: dict | None = None, expect_ok: bool = True, target: str | None = None,
            write_json: bool = False):
    """Run a dbt command in db_path's folder, against that database file and its own target
    folder. A relative raw_data_dir is read from that folder; without one, the demo data."""
    command, env, work = dbt_invocation(args, db_path, vars_, target, write_json)
    parse_file = work / "target" / "partial_parse.msgpack"
    key = json.dumps([db_path.name, vars_ or {}, target or ""], sort_keys=True)
    cached = PARSE_CACHE / hashlib.sha1(key.encode()).hexdigest()
    if cached.exists() and not parse_file.exists() and "--no-partial-parse" not in args:
        parse_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, parse_file)
    result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    if parse_file.exists() and not cached.exists():
        PARSE_CACHE.mkdir(exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}")
        shutil.copyfile(parse_file, partial)
        os.replace(partial, cached)
    if expect_ok and result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return result


def pytest_sessionfinish(session):
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        shutil.rmtree(PARSE_CACHE, ignore_errors=True)


def query(db_path: Path, sql: str):
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.sql(sql).df()


def tables_in_schema(db_path: Path, schema: str) -> list[str]:
    frame = query(db_path, f"select table_name from information_schema.tables where table_schema = '{schema}'"
                            " and table_type = 'BASE TABLE'"
                            " order by table_name")
    return frame["table_name"].tolist()


def shared_build(tmp_path_factory, worker_id, name: str, build) -> Path:
    """The database `build(db_path)` makes, made once per pytest run and shared by the
    pytest-xdist workers: the first to need it builds it, under a lock."""
    base = tmp_path_factory.getbasetemp()
    root = base if worker_id == "master" else base.parent
    folder = root / name
    with FileLock(str(root / f"{name}.lock")):
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed half way
            folder.mkdir()
            build(folder / DB_FILE)
            (folder / "done").touch()
    return folder / DB_FILE


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory, worker_id):
    """One full `dbt build` (models, seeds, data and unit tests) of the bundled demo data,
    shared by the pytest-xdist workers."""
    return shared_build(tmp_path_factory, worker_id, "demo-build",
                        lambda db_path: run_dbt(["build"], db_path, write_json=True))
