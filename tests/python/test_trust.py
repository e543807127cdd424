"""The project's promises to a new user: no documented var value breaks the build, a bad
as_of_date is one clear error, raw folders and headers are read as a person would write
them, a required column that is missing stops the build, and periods follow the data."""
import csv
import gzip
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import DB_FILE, PROJECT_DIR, query, run_dbt

# Every documented var at a valid value other than its default. Warehouse-mode names and
# Spark's file format are set too: file mode must ignore them.
NON_DEFAULT_VARS = {
    "raw_file_format": "parquet",
    "raw_orders_identifier": "shop_orders",
    "raw_events_identifier": "shop_events",
    "raw_customers_identifier": "shop_customers",
    "as_of_date": "2025-06-30",
    "late_arrival_days": 5,
    "session_timeout_minutes": 45,
    "spark_table_format": "delta",
    "rfm_window_days": 365,
    "rfm_monetary_measure": "total",
    "activity_events": ["order_completed", "page_view"],
    "activity_min_count": 2,
    "retention_start_events": ["sign_up"],
    "retention_return_events": ["page_view", "product_view"],
    "retention_days": [2, 5, 10],
    "retention_brackets": [[2, 9], [10, 20]],
    "cohort_basis": "first_event",
    "cohort_grains": ["month"],
    "retention_breakdowns": ["country", "rfm_segment"],
    "churn_days": 90,
    "churn_segment_column": "country",
    "at_risk_factor": 3,
    "campaign_events": ["email_opened"],
    "winback_touch_days": 7,
    "referral_events": ["share"],
    "stickiness_grains": ["week"],
    "lifecycle_grains": ["week", "month"],
    "attribution_lookback_days": 14,
    "attribution_half_life_days": 3.5,
    "funnel_conversion_window_days": 7,
    "funnel_order_mode": "strict",
    "funnel_driver_min_people": 10,
    "funnel_trend_grains": ["month"],
    "funnel_breakdowns": ["first_touch_channel:last_touch", "country", "platform:step_2", "rfm_segment:step_2"],
    "path_start_event": "search",
    "path_goal_event": "add_to_cart",
    "path_max_events": 3,
    "path_collapse_repeats": False,
    "clv_transaction_model": "pareto_nbd",
    "clv_calibration_end_date": "2025-03-31",
    "clv_time_unit": "day",
    "clv_horizon_months": 6,
    "clv_monthly_discount_rate": 0.02,
    "clv_gross_margin": 0.5,
}
# vars that switch what the build reads (warehouse mode, the optional tables) or whether
# the Python models exist: set in the unit-test-only run below, where they must not matter
MODE_VARS = {"using_events": False, "using_customers": False, "clv_probabilistic": False}


def documented_vars() -> set[str]:
    readme = (PROJECT_DIR / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return {name for row in re.findall(r"^\| (`[^|]+) \|", section, re.M) for name in re.findall(r"`(\w+)`", row)}


def project_vars() -> set[str]:
    config = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    return set(config["vars"]["customer_lifecycle"])


def test_the_non_default_set_covers_every_documented_var():
    covered = set(NON_DEFAULT_VARS) | set(MODE_VARS) | {"raw_data_dir", "raw_schema", "raw_database"}
    assert documented_vars() == project_vars()
    assert project_vars() - covered == set()
    defaults = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["customer_lifecycle"]
    assert [name for name, value in NON_DEFAULT_VARS.items() if defaults[name] == value] == []


# --------------------------------------------------------------- unit tests pin their vars
MACRO = re.compile(r"{%-?\s*macro\s+(\w+)\s*\(.*?%}(.*?){%-?\s*endmacro", re.S)
VAR = re.compile(r"""var\(\s*['"](\w+)['"]\s*[,)]""")


def macro_sources() -> dict[str, str]:
    sources = {}
    for path in (PROJECT_DIR / "macros").rglob("*.sql"):
        sources.update({name: body for name, body in MACRO.findall(path.read_text())})
    return sources


def vars_read(text: str, macros: dict[str, str], seen: set[str]) -> set[str]:
    """The vars a model or macro reads, through every macro it calls (dispatched ones
    through each engine's implementation)."""
    found = set(VAR.findall(text))
    if re.search(r"var\(\s*'using_'", text):
        found |= {"using_events", "using_customers"}
    names = set(re.findall(r"\b(\w+)\s*\(", text)) | set(re.findall(r"dispatch\(\s*'(\w+)'", text))
    for name in names:
        for candidate in (name, f"default__{name}", f"duckdb__{name}", f"spark__{name}"):
            if candidate in macros and candidate not in seen:
                seen.add(candidate)
                found |= vars_read(macros[candidate], macros, seen)
    return found


# vars read only by a model's config (its materialization on an engine), never by the SQL a
# unit test renders, so no value of theirs can change a unit test's result
CONFIG_ONLY_VARS = {"spark_table_format"}


def test_config_only_vars_are_read_only_by_config_macros():
    macros = macro_sources()
    readers = {name for name, body in macros.items() if set(VAR.findall(body)) & CONFIG_ONLY_VARS}
    assert readers == {"spark_table_format"}, readers
    callers = {name for name, body in macros.items() if re.search(r"\bspark_table_format\(", body)}
    assert callers <= {"spark_table_format", "spark__incremental_by_changed_people_config",
                       "spark__change_log_config"}, callers
    for path in (PROJECT_DIR / "models").rglob("*.sql"):
        assert not set(VAR.findall(path.read_text())) & CONFIG_ONLY_VARS, path


def test_every_unit_test_pins_every_var_its_model_reads():
    macros = macro_sources()
    models = {path.stem: path for path in (PROJECT_DIR / "models").rglob("*.sql")}
    unpinned = {}
    for path in (PROJECT_DIR / "models").rglob("*unit_tests.yml"):
        for unit_test in yaml.safe_load(path.read_text())["unit_tests"]:
            read = vars_read(models[unit_test["model"]].read_text(), macros, set()) - CONFIG_ONLY_VARS
            pinned = set(((unit_test.get("overrides") or {}).get("vars") or {}))
            if read - pinned:
                unpinned[unit_test["name"]] = sorted(read - pinned)
    assert unpinned == {}


def test_unit_test_names_fit_postgresql_relation_names():
    # dbt names a unit test's temporary table after the test; PostgreSQL cuts identifiers
    # at 63 characters, and dbt-postgres refuses a longer relation name
    too_long = [unit_test["name"] for path in (PROJECT_DIR / "models").rglob("*unit_tests.yml")
                for unit_test in yaml.safe_load(path.read_text())["unit_tests"] if len(unit_test["name"]) > 63]
    assert too_long == []


def test_the_var_scan_sees_vars_read_through_macros():
    # the scan above must see a var read two macros deep, or it could pass vacuously
    macros = {"outer": "{{ inner('x') }}", "default__inner": "{{ var('deep_var') }}"}
    assert vars_read("select {{ outer() }} {{ adapter.dispatch('inner') }}", macros, set()) == {"deep_var"}


# ------------------------------------------------------------- the demo with every var changed
@pytest.fixture(scope="module")
def every_var_changed(tmp_path_factory):
    """The demo, in a folder whose name has a space and an apostrophe, plus a valid order
    dated 1900-01-01 and a registered customer whose only channel is the registered one,
    built (unit tests included) with every documented var at a non-default value."""
    work = tmp_path_factory.mktemp("every-var")
    raw = work / "shop's raw files"
    shutil.copytree(PROJECT_DIR / "data" / "demo", raw)
    orders = pd.read_csv(raw / "orders.csv.gz", dtype=str, keep_default_na=False)
    customers = pd.read_csv(raw / "customers.csv.gz", dtype=str, keep_default_na=False)
    events = pd.read_csv(raw / "events.csv.gz", dtype=str, keep_default_na=False)
    # two orders: activity_min_count is 2 in this build
    old_orders = [{"order_id": f"o_1900_{n}", "customer_id": "c_1900", "ordered_at": f"1900-01-0{n} 12:00:00",
                   "amount": "10.00", "status": "completed"} for n in (1, 2)]
    registered = {"customer_id": "c_registered_only", "email": "registered@example.com",
                  "created_at": "2025-03-01 09:00:00", "acquisition_channel": "partner", "country": "DE"}
    tracked = [{"event_id": f"e_registered_{n}", "anonymous_id": "", "customer_id": "c_registered_only",
                "event_name": name, "occurred_at": f"2025-03-02 10:0{n}:00", "session_id": "", "channel": "",
                "platform": "web"} for n, name in enumerate(["page_view", "product_view", "add_to_cart"])]
    pd.concat([orders, pd.DataFrame(old_orders)]).to_csv(raw / "orders.csv.gz", index=False)
    pd.concat([customers, pd.DataFrame([registered])]).to_csv(raw / "customers.csv.gz", index=False)
    pd.concat([events, pd.DataFrame(tracked)]).to_csv(raw / "events.csv.gz", index=False)
    db_path = work / DB_FILE
    run_dbt(["build"], db_path, {"raw_data_dir": raw.name, **NON_DEFAULT_VARS})
    return db_path


def test_every_var_changed_builds_with_its_unit_tests(every_var_changed):
    # run_dbt raised if any node failed; the build saw the 1900 order as valid
    assert query(every_var_changed, "select count(*) as n from marts.orders where customer_id = 'c_1900'").n[0] == 2


def test_unit_tests_pass_whatever_the_mode_vars(every_var_changed):
    run_dbt(["test", "--select", "test_type:unit"], every_var_changed,
            {"raw_data_dir": "shop's raw files", **NON_DEFAULT_VARS, **MODE_VARS})


def test_periods_follow_the_data_back_to_1900(every_var_changed):
    # 1900-01 to 2025-06 is 1,505 months: every one is there, none cut at a fixed count
    months = query(every_var_changed, """
        select count(*) as n, max(period_number) as last_period from marts.cohort_retention
        where cohort_grain = 'month' and breakdown = '(all)' and retention_type = 'first_time'
          and cohort_start_date = date '1900-01-01'""")
    assert months.n[0] == months.last_period[0] + 1 == (2025 - 1900) * 12 + 6
    lifecycle = query(every_var_changed, "select count(*) as n from marts.customer_lifecycle_monthly"
                                         " where customer_id = 'c_1900'")
    assert lifecycle.n[0] == (2025 - 1900) * 12 + 6


def test_a_registered_channel_is_the_same_in_every_mart(every_var_changed):
    progress = query(every_var_changed, "select distinct first_touch_channel from marts.customer_funnel_progress"
                                        " where person_id = 'c_registered_only'")
    assert progress.first_touch_channel.tolist() == ["partner"]
    breakdown = query(every_var_changed, "select count(*) as n from marts.funnel_conversion_by_breakdown"
                                         " where breakdown_value = 'partner'")
    assert breakdown.n[0] > 0


# ------------------------------------------------------------------------------- bad vars
@pytest.mark.parametrize("value", ["31/12/2025", "2025-13-45", "2025-02-29", "2025-6-30"])
def test_as_of_date_must_be_a_calendar_date(tmp_path, value):
    result = run_dbt(["build", "--select", "int_as_of_date"], tmp_path / DB_FILE,
                     {"as_of_date": value}, expect_ok=False)
    assert result.returncode != 0
    assert f"as_of_date must be a calendar date written YYYY-MM-DD, got '{value}'" in result.stdout
    # the hook stops the invocation before any node, unit tests included, runs
    assert "PASS=" not in result.stdout and "unit_test" not in result.stdout.split("as_of_date must")[0]


@pytest.mark.parametrize("value", [["city"], ["platform:step_0"], ["platform", "platform:first_touch"], "platform"])
def test_funnel_breakdowns_must_name_known_attributes_and_attributions(tmp_path, value):
    result = run_dbt(["compile", "--select", "funnel_conversion_by_breakdown"], tmp_path / DB_FILE,
                     {"funnel_breakdowns": value}, expect_ok=False)
    assert result.returncode != 0
    assert "funnel_breakdowns must be a non-empty list of distinct 'attribute' or 'attribute:attribution'" in result.stdout


# ------------------------------------------------------------------------ raw file shapes
def write_csv(path: Path, header: list[str], rows: list[list[str]]):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


ORDERS_HEADER = ["order_id", "customer_id", "ordered_at", "amount", "status"]
ORDERS = [["o1", "c1", "2025-01-01 10:00:00", "10.00", "completed"],
          ["o2", "c2", "2025-01-02 10:00:00", "12.50", ""]]


def test_headers_match_trimmed_and_case_insensitively(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    write_csv(raw / "orders.csv", [" Order_ID", "CUSTOMER_ID ", "OrderED_At", "AMOUNT", "Status"], ORDERS)
    write_csv(raw / "customers.csv", ["CUSTOMER_ID", "EMAIL", "CREATED_AT", "ACQUISITION_CHANNEL", "COUNTRY"],
              [["c1", "a@example.com", "2024-12-01 00:00:00", "email", "de"]])
    run_dbt(["build", "--select", "+stg_raw__rejects", "+stg_raw__orders", "+stg_raw__customers", "+stg_raw__events",
             "--exclude", "test_type:unit"], tmp_path / DB_FILE, {"raw_data_dir": "raw"})
    assert query(tmp_path / DB_FILE, "select count(*) as n from staging.stg_raw__orders").n[0] == 2
    customers = query(tmp_path / DB_FILE, "select * from staging.stg_raw__customers")
    assert customers[["customer_id", "acquisition_channel", "country"]].values.tolist() == [["c1", "email", "DE"]]
    assert query(tmp_path / DB_FILE, "select count(*) as n from staging.stg_raw__rejects").n[0] == 0


@pytest.mark.parametrize("table, header, missing", [
    ("orders", ["order_id", "customer_id", "ordered_at", "status"], "amount"),
    ("events", ["event_id", "event_name", "occurred_at"], "anonymous_id or customer_id"),
])
def test_a_missing_required_column_stops_the_build_naming_it(tmp_path, table, header, missing):
    raw = tmp_path / "raw"
    raw.mkdir()
    write_csv(raw / "orders.csv", ORDERS_HEADER, ORDERS)
    write_csv(raw / f"{table}.csv", header, [["x"] * len(header)])
    result = run_dbt(["build"], tmp_path / DB_FILE, {"raw_data_dir": "raw"}, expect_ok=False)
    assert result.returncode != 0
    assert f"Raw table {table} (raw/{table}) has no column {missing}" in result.stdout
    assert "PASS=" not in result.stdout  # nothing was built


@pytest.mark.parametrize("folder", ["exports[2025]", "exports*"])
def test_a_folder_name_with_glob_characters_stops_with_a_clear_error(tmp_path, folder):
    # the file search uses glob patterns: a '[' or '*' in the folder would match other names
    raw = tmp_path / folder
    raw.mkdir()
    write_csv(raw / "orders.csv", ORDERS_HEADER, ORDERS)
    result = run_dbt(["build"], tmp_path / DB_FILE, {"raw_data_dir": folder}, expect_ok=False)
    assert result.returncode != 0 and "holds the glob character" in result.stdout
    assert "PASS=" not in result.stdout


def test_an_orders_file_without_rows_warns(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    write_csv(raw / "orders.csv", ORDERS_HEADER, [])
    result = run_dbt(["build", "--select", "+stg_raw__rejects", "+stg_raw__orders", "+stg_raw__customers", "+stg_raw__events", "--exclude", "test_type:unit"],
                     tmp_path / DB_FILE, {"raw_data_dir": "raw"})
    assert "orders file with no rows: every mart builds empty" in result.stdout
    assert query(tmp_path / DB_FILE, "select count(*) as n from staging.stg_raw__orders").n[0] == 0
