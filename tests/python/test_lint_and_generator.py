"""sqlfluff is clean, and the generator is deterministic and consistent with its truth."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from conftest import DB_FILE, PROJECT_DIR, run_dbt

GENERATOR = PROJECT_DIR / "scripts" / "generate_data.py"


def test_sqlfluff_lint_is_clean(tmp_path):
    sqlfluff = str(Path(sys.executable).with_name("sqlfluff"))
    # an empty database, so the dbt templater renders every model's full-build form: with
    # the project's own database after `make build`, it rendered the incremental branches
    env = {**os.environ, "DUCKDB_PATH": str(tmp_path / "lint.duckdb")}
    result = subprocess.run([sqlfluff, "lint", "models", "tests/dbt", "analyses"], cwd=PROJECT_DIR,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


INCREMENTAL_CONFIGS = ("incremental_by_changed_people_config", "change_log_config", "incremental_by_day_config")


def test_sqlfluff_lints_the_incremental_forms(tmp_path):
    models = {path: path.read_text() for path in (PROJECT_DIR / "models").rglob("*.sql")}
    incremental = {path for path, text in models.items() if any(config in text for config in INCREMENTAL_CONFIGS)}
    to_lint = sorted(str(path.relative_to(PROJECT_DIR)) for path in incremental)
    assert len(to_lint) >= 10, to_lint
    # every table, empty (no rows, no tests): enough for is_incremental(), so the dbt templater
    # renders these models' incremental branches (the first lint test renders the full ones)
    db = tmp_path / "incremental_forms.duckdb"
    run_dbt(["build", "--empty", "--exclude", "resource_type:test", "resource_type:unit_test"], db,
            {"clv_probabilistic": False})
    sqlfluff = str(Path(sys.executable).with_name("sqlfluff"))
    env = {**os.environ, "DUCKDB_PATH": str(db)}
    result = subprocess.run([sqlfluff, "lint", *to_lint], cwd=PROJECT_DIR, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


def test_generator_is_deterministic_and_matches_the_committed_demo(tmp_path):
    subprocess.run([sys.executable, str(GENERATOR), "--customers", "2000", "--out", str(tmp_path),
                    "--format", "csv.gz"], check=True, capture_output=True)
    for name in ["orders.csv.gz", "events.csv.gz", "customers.csv.gz", "_truth.csv"]:
        assert (tmp_path / name).read_bytes() == (PROJECT_DIR / "data" / "demo" / name).read_bytes(), name


def test_generator_truth_agrees_with_the_orders(tmp_path):
    subprocess.run([sys.executable, str(GENERATOR), "--customers", "300", "--bad-share", "0",
                    "--out", str(tmp_path), "--format", "csv"], check=True, capture_output=True)
    orders = pd.read_csv(tmp_path / "orders.csv", dtype=str, keep_default_na=False)
    truth = pd.read_csv(tmp_path / "_truth.csv")
    completed = orders[orders.status.str.strip().str.lower().isin(["completed", ""])]
    per_customer = completed.groupby("customer_id").size().reindex(truth.customer_id, fill_value=0)
    assert (per_customer.to_numpy() == truth.observed_purchases.to_numpy()).all()
    # a customer who never converted has no purchase; a dead one made all repeats in time
    assert (truth.loc[~truth.converted, "observed_purchases"] == 0).all()
    dead = truth.converted & ~truth.alive_at_end
    assert (truth.loc[dead, "observed_purchases"] == truth.loc[dead, "repeat_purchases_before_dropout"] + 1).all()


def test_every_macro_is_documented_with_validated_arguments(tmp_path):
    # --warn-error turns validate_macro_args warnings (unknown names, bad types) into failures;
    # a full parse, since a reused one (conftest's parse cache) would skip the validation
    run_dbt(["--warn-error", "parse", "--no-partial-parse"], tmp_path / DB_FILE, write_json=True)
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    ours = {m["name"]: m for m in manifest["macros"].values() if m["package_name"] == "customer_lifecycle"}
    undocumented = sorted(name for name, m in ours.items() if not m["description"].strip())
    assert not undocumented, undocumented
    for name, macro in ours.items():
        assert all(argument["type"] for argument in macro["arguments"]), name
