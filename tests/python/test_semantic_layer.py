"""The MetricFlow semantic layer: `mf validate-configs` passes, and `mf query` results on the
demo build equal what the marts say (each metric checked against a mart it did not come from
where one exists)."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import PROJECT_DIR, query

MF = str(Path(sys.executable).with_name("mf"))
DBT = str(Path(sys.executable).with_name("dbt"))
PROJECT_FILES = ["dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests", "analyses", "data", "plugins", "lib"]


@pytest.fixture(scope="module")
def semantic_project(demo_build, tmp_path_factory):
    """A copy of the project and of the demo database: mf reads `target/` of the project it runs
    in and writes to the database, so it gets its own of both (other tests run beside it)."""
    root = tmp_path_factory.mktemp("semantic")
    project = root / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        source = PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__", "python"))
        else:
            shutil.copy(source, project / name)
    db_path = root / "demo.duckdb"
    shutil.copy(demo_build, db_path)
    env = dict(os.environ, DBT_PROFILES_DIR=str(project), DUCKDB_PATH=str(db_path), DO_NOT_TRACK="1",
               DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    subprocess.run([DBT, "parse"], cwd=project, env=env, check=True, capture_output=True)
    return project, env, db_path


def mf(project_env, *args: str) -> subprocess.CompletedProcess:
    project, env, _ = project_env
    result = subprocess.run([MF, *args], cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return result


def mf_query(project_env, metrics: list[str], group_by: list[str], where: str | None = None) -> pd.DataFrame:
    out = project_env[0].parent / f"q{abs(hash((tuple(metrics), tuple(group_by), where)))}.csv"
    args = ["query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by), "--csv", str(out)]
    if where:
        args += ["--where", where]
    mf(project_env, *args)
    frame = pd.read_csv(out)
    frame.columns = [column.split("__", 1)[-1] if column.startswith(("customer__", "cohort_period__",
                     "funnel_week_step__", "customer_month__")) else column for column in frame.columns]
    return frame


def test_mf_validate_configs(semantic_project):
    result = mf(semantic_project, "validate-configs")
    assert "ERRORS: 0" in result.stdout
    assert "ERROR" not in result.stdout.replace("ERRORS: 0", "").replace("FUTURE_ERRORS: 0", "")


def test_revenue_orders_and_average_order_value_by_month(semantic_project):
    db = semantic_project[2]
    got = mf_query(semantic_project, ["revenue", "orders", "average_order_value"], ["metric_time__month"])
    got["month"] = pd.to_datetime(got["metric_time__month"]).dt.date
    expected = query(db, """
        select date_trunc('month', order_date)::date as month, sum(revenue)::double as revenue,
               count(*) as orders, sum(revenue)::double / count(*) as average_order_value
        from marts.orders group by 1""")
    expected["month"] = pd.to_datetime(expected["month"]).dt.date
    merged = expected.merge(got, on="month", suffixes=("", "_mf"), validate="one_to_one")
    assert len(merged) == len(expected) == len(got) > 12
    assert (merged.orders == merged.orders_mf).all()
    assert ((merged.revenue - merged.revenue_mf).abs() < 1e-6).all()
    assert ((merged.average_order_value - merged.average_order_value_mf).abs() < 1e-9).all()
    # total revenue agrees with the customers mart, which sums orders on its own path
    lifetime = query(db, "select sum(lifetime_revenue)::double as total from marts.customers").total[0]
    assert abs(got.revenue.sum() - lifetime) < 1e-6


def test_customers_repeat_rate_churn_rate_and_clv_by_channel(semantic_project):
    db = semantic_project[2]
    got = mf_query(semantic_project, ["customers", "repeat_rate", "churn_rate", "predicted_clv_per_customer"],
                   ["customer__acquisition_channel"])
    channel = query(db, "select acquisition_channel, customers_acquired, churn_rate from marts.channel_performance")
    repeat = query(db, """select acquisition_channel, avg(case when order_count >= 2 then 1.0 else 0 end) as repeat
                          from marts.customers group by 1""")
    clv = query(db, "select acquisition_channel, predicted_clv_per_customer::double as clv from marts.clv_by_channel")
    merged = (got.merge(channel, on="acquisition_channel").merge(repeat, on="acquisition_channel")
              .merge(clv, on="acquisition_channel"))
    assert len(merged) == len(got) == len(channel) >= 5
    assert (merged.customers == merged.customers_acquired).all()
    assert ((merged.churn_rate_x - merged.churn_rate_y).abs() < 1e-12).all()
    assert ((merged.repeat_rate - merged.repeat).abs() < 1e-12).all()
    # clv_by_channel rounds the per-customer value to cents
    assert ((merged.predicted_clv_per_customer - merged.clv).abs() <= 0.005 + 1e-9).all()


def test_customers_by_rfm_segment_and_cohort_month(semantic_project):
    db = semantic_project[2]
    got = mf_query(semantic_project, ["customers"], ["customer__rfm_segment"])
    summary = query(db, "select segment as rfm_segment, customers as expected from marts.rfm_segment_summary"
                        " where segment_scheme = 'rfm_11'")
    merged = summary.merge(got, on="rfm_segment", how="outer")
    assert (merged.customers == merged.expected).all(), merged
    by_cohort = mf_query(semantic_project, ["customers"], ["customer__cohort_month__month"])
    by_cohort["cohort_month"] = pd.to_datetime(by_cohort["cohort_month__month"]).dt.date
    expected = query(db, "select cohort_month, customers as expected from marts.clv_by_cohort")
    expected["cohort_month"] = pd.to_datetime(expected["cohort_month"]).dt.date
    merged = expected.merge(by_cohort, on="cohort_month", how="outer")
    assert len(merged) > 12 and (merged.customers == merged.expected).all(), merged


def test_retention_rate_by_cohort_month_and_period(semantic_project):
    db = semantic_project[2]
    for retention_type, prefix in [("first_time", ""), ("recurring", "recurring_")]:
        got = mf_query(semantic_project, [f"{prefix}retention_rate", f"{prefix}cohort_customers"],
                       ["metric_time__month", "cohort_period__period_number"])
        got = got.rename(columns={f"{prefix}retention_rate": "rate_mf", f"{prefix}cohort_customers": "size_mf"})
        got["cohort_start_date"] = pd.to_datetime(got["metric_time__month"]).dt.date
        expected = query(db, f"""select cohort_start_date, period_number, cohort_size, retention_rate
                                 from marts.cohort_retention
                                 where cohort_grain = 'month' and breakdown = '(all)'
                                   and retention_type = '{retention_type}'""")
        expected["cohort_start_date"] = pd.to_datetime(expected["cohort_start_date"]).dt.date
        merged = expected.merge(got, on=["cohort_start_date", "period_number"], how="outer")
        assert len(merged) == len(expected) > 100
        assert (merged.cohort_size == merged.size_mf).all()
        assert ((merged.retention_rate - merged.rate_mf).abs() < 1e-12).all()


def test_funnel_step_conversion_by_week(semantic_project):
    db = semantic_project[2]
    got = mf_query(semantic_project, ["funnel_step_conversion"],
                   ["metric_time__week", "funnel_week_step__funnel_name", "funnel_week_step__step_number"])
    got["entry_week_start"] = pd.to_datetime(got["metric_time__week"]).dt.date
    expected = query(db, """select entry_week_start, funnel_name, step_number, step_conversion_rate
                            from marts.funnel_conversion_by_week""")
    expected["entry_week_start"] = pd.to_datetime(expected["entry_week_start"]).dt.date
    merged = expected.merge(got, on=["entry_week_start", "funnel_name", "step_number"], how="outer")
    assert len(merged) == len(expected) > 100
    both = merged.dropna(subset=["step_conversion_rate"])
    assert ((both.step_conversion_rate - both.funnel_step_conversion).abs() < 1e-12).all()


def test_lifecycle_customers_by_month_and_status(semantic_project):
    db = semantic_project[2]
    got = mf_query(semantic_project, ["lifecycle_customers"],
                   ["metric_time__month", "customer_month__lifecycle_status"])
    got["activity_month"] = pd.to_datetime(got["metric_time__month"]).dt.date
    expected = query(db, "select activity_month, lifecycle_status, customers from marts.lifecycle_summary"
                         " where customers > 0")
    expected["activity_month"] = pd.to_datetime(expected["activity_month"]).dt.date
    merged = expected.merge(got, on=["activity_month", "lifecycle_status"], how="outer")
    assert len(merged) == len(expected) > 50
    assert (merged.customers == merged.lifecycle_customers).all()


def test_attributed_orders_and_revenue_by_channel_and_model(semantic_project):
    db = semantic_project[2]
    got = mf_query(semantic_project, ["attributed_orders", "attributed_revenue"],
                   ["order_touch__attribution_model", "order_touch__channel"])
    got.columns = [column.split("__", 1)[-1] if column.startswith("order_touch__") else column
                   for column in got.columns]
    expected = query(db, "select attribution_model, channel, attributed_orders as expected_orders,"
                         " cast(attributed_revenue as double) as expected_revenue from marts.channel_attribution")
    merged = expected.merge(got, on=["attribution_model", "channel"], how="left")
    # zero-credit touches (first / last touch) leave no mart row but a metric row of 0
    assert len(merged) == len(expected) >= 25 and merged.attributed_orders.notna().all()
    assert ((merged.attributed_orders - merged.expected_orders).abs() < 1e-6).all()
    assert ((merged.attributed_revenue - merged.expected_revenue).abs() <= 0.005 + 1e-6).all()
