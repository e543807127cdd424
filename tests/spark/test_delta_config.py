"""`spark_table_format: delta` (Databricks): the person-grain models and the change log are
incremental Delta tables with the same built-in append and post-hooks as on DuckDB, each
post-hook one MERGE ... WHEN MATCHED THEN DELETE (macro delete_matching).

Delta jars cannot be fetched where this suite runs, so nothing here runs on Delta: the test
compiles the project for Spark with the var set, checks the configuration dbt resolved for
every incremental model, renders delete_matching's Spark statement over the source query of
each kind of post-hook (the project's own source macros; the join conditions are written
here like the hooks', since in an inline node is_incremental() is false and the hooks
render nothing), and parses each with Spark's SQL parser (a syntax error fails; a
Delta-only feature is not checked)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))
VARS = {"spark_table_format": "delta", "clv_probabilistic": False}
RUN_STAMP = "' ~ run_stamp() ~ '"
# one statement per kind of post-hook, over the source macros the hooks use
STATEMENTS = {
    "replace_changed_people": "{{ delete_matching(ref('int_person_first_touch'), changed_people_since_last_run(), "
                              "'stored.person_id = changed.person_id and stored.processed_at < " + RUN_STAMP + "') }}",
    "replace_changed_people_from": "{{ delete_matching(ref('int_customer_events_daily'), days_to_recompute(), "
                                   "'stored.customer_id = changed.person_id and stored.processed_at < " + RUN_STAMP
                                   + " and (changed.from_date is null or stored.activity_date >= changed.from_date)') }}",
    "replace_changed_sessions": "{% set sessions %}select session_id from {{ ref('int_sessions') }} union "
                                "{{ sessions_changed_since_last_run(ref('int_events_sessionized')) }}{% endset %}"
                                "{{ delete_matching(ref('int_sessions'), sessions, "
                                "'stored.session_id = changed.session_id') }}",
    "replace_recomputed_events": "{% set events %}select event_id from {{ ref('int_person_events') }} union "
                                 "{{ orders_no_longer_completed() }}{% endset %}"
                                 "{{ delete_matching(ref('int_person_events'), events, "
                                 "'stored.event_id = changed.event_id') }}",
    "replace_changed_periods": "{{ delete_matching(ref('int_funnel_period_best_attempts'), "
                               "funnel_periods_to_recompute(['day', 'week', 'month']), "
                               "'stored.person_id = changed.person_id and stored.period_grain = changed.period_grain"
                               " and stored.processed_at < " + RUN_STAMP + " and (changed.from_period_start is null"
                               " or stored.period_start >= changed.from_period_start)') }}",
}
SEPARATOR = "\n-- next statement --\n"


def test_delta_models_are_incremental_and_their_merge_deletes_parse(tmp_path):
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR), DBT_PROJECT_ROOT=str(PROJECT_DIR), DO_NOT_TRACK="1",
               DBT_SEND_ANONYMOUS_USAGE_STATS="false", SPARK_LOCAL_IP="127.0.0.1")
    inline = SEPARATOR.join(STATEMENTS.values())
    command = [DBT, "compile", "--project-dir", str(PROJECT_DIR), "--target", "spark", "--vars", json.dumps(VARS),
               "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
               "--output", "json", "--inline", inline]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]

    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    models = {node["name"]: node for node in manifest["nodes"].values()
              if node["resource_type"] == "model" and node["package_name"] == "customer_lifecycle"}
    person_grain = {name for name, node in models.items()
                    if "incremental_by_changed_people_config" in node["raw_code"]}
    assert len(person_grain) >= 10, person_grain
    for name in person_grain | {"int_person_stream_changes"}:
        config = models[name]["config"]
        assert (config["materialized"], config["file_format"], config["incremental_strategy"]) == \
            ("incremental", "delta", "append"), name
        assert bool(config["post-hook"]) == (name != "int_person_stream_changes"), name

    compiled = json.loads(result.stdout[result.stdout.index("{"):])["compiled"]
    statements = compiled.split(SEPARATOR.strip())
    assert len(statements) == len(STATEMENTS)
    assert all("merge into" in sql and "when matched then delete" in sql for sql in statements), compiled

    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
             .config("spark.driver.host", "127.0.0.1").getOrCreate())
    try:
        parser = spark._jsparkSession.sessionState().sqlParser()
        for name, sql in zip(STATEMENTS, statements):
            plan = parser.parsePlan(sql)  # raises ParseException on a syntax error
            assert "MergeIntoTable" in plan.toString(), (name, plan.toString())
    finally:
        spark.stop()
