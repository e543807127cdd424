"""Scheduled jobs: the selectors in selectors.yml hold what the README says they hold, and
`+exposure:` selects what a dashboard needs."""
from __future__ import annotations

import json

from conftest import DB_FILE, run_dbt


def listed(tmp_path, *selection: str) -> dict[str, set[str]]:
    """resource type -> names, from `dbt ls` with the given selection arguments."""
    result = run_dbt(["ls", *selection, "--output", "json", "--output-keys", "name", "resource_type", "--quiet"],
                     tmp_path / DB_FILE)
    nodes: dict[str, set[str]] = {}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            node = json.loads(line)
            nodes.setdefault(node["resource_type"], set()).add(node["name"])
    return nodes


def test_daily_weekly_and_ci_selectors(tmp_path):
    everything = listed(tmp_path, "--select", "fqn:*")
    daily = listed(tmp_path, "--selector", "daily")
    weekly = listed(tmp_path, "--selector", "weekly_full_refresh")
    ci = listed(tmp_path, "--selector", "ci")
    assert "unit_test" not in daily and "unit_test" not in weekly
    assert weekly["model"] == everything["model"] and weekly["test"] == everything["test"]
    # the daily job scores with the last weekly fit: everything but the CLV refit
    assert everything["model"] - daily["model"] == {"int_clv_model_fit", "clv_model_parameters"}
    assert ci["unit_test"] == everything["unit_test"] and len(ci["unit_test"]) > 40
    assert "test" not in ci


def test_exposure_selects_what_the_report_needs(tmp_path):
    selected = listed(tmp_path, "--select", "+exposure:lifecycle_report", "--resource-type", "model")["model"]
    assert {"customers", "cohort_retention", "funnel_conversion", "customer_rfm", "lifecycle_summary",
            "customer_clv", "clv_by_channel", "channel_performance"} <= selected
    assert not selected & {"customer_rfm_monthly", "rfm_segment_migration", "event_paths", "orders",
                           "funnel_conversion_by_week", "retention_by_day"}
