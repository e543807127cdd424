"""`make report` as a person sees it: the HTML opens without a network in headless Chromium,
every chart draws, no script fails; a screenshot is kept in artifacts/report.png."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import PROJECT_DIR, query

ARTIFACTS = PROJECT_DIR / "artifacts"
spec = importlib.util.spec_from_file_location("report", PROJECT_DIR / "scripts" / "report.py")
report = sys.modules["report"] = importlib.util.module_from_spec(spec)  # dataclasses look it up
spec.loader.exec_module(report)


def chromium() -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (the Makefile's `chromium` target installs Debian's package)")
        pytest.skip("chromium is not installed: `sudo apt-get install chromium` to run the browser check")
    return binary


def headless(binary: str, *args: str) -> subprocess.CompletedProcess:
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--virtual-time-budget=15000", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def rendered(demo_build, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "lifecycle_report.html"
    subprocess.run([sys.executable, str(PROJECT_DIR / "scripts" / "report.py"), "--db", str(demo_build),
                    "--out", str(out)], check=True, capture_output=True)
    return out


def test_report_is_self_contained_and_titled_with_the_as_of_date(rendered, demo_build):
    page = rendered.read_text(encoding="utf-8")
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", page), \
        "the report loads something over the network"
    as_of = str(query(demo_build, "select max(as_of_date) as d from marts.customers").d[0])[:10]
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert len(headings) == 21 and all(f"(as of {as_of})" in h for h in headings), headings
    for framework in ["AISAS", "AIDA", "AARRR", "5A", "Checkout"]:
        assert any(h.startswith(f"{framework} funnel") for h in headings), framework


def test_every_chart_renders_in_headless_chromium(rendered):
    binary = chromium()
    dom = headless(binary, "--dump-dom", rendered.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    root = re.search(r"<html[^>]*>", dom.stdout).group(0)
    expected = re.search(r'data-charts-expected="(\d+)"', root).group(1)
    rendered_count = re.search(r'data-charts-rendered="(\d+)"', root)
    assert "data-errors" not in root, root
    assert rendered_count, "the page's load handler never ran"
    assert int(expected) == 20 and rendered_count.group(1) == expected, root
    assert not re.search(r'<section[^>]*data-failed', dom.stdout)
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    screenshot.unlink(missing_ok=True)
    shot = headless(binary, "--window-size=1280,7000", f"--screenshot={screenshot}", rendered.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 200_000  # a blank page compresses to a few KB


def test_empty_marts_give_notes_not_errors(demo_build):
    marts = report.read_marts(demo_build)
    empty = {name: frame.iloc[0:0] for name, frame in marts.items()}
    charts = report.build_charts(empty, "2025-12-31")
    assert charts and all(chart.figure is None for chart in charts)
    page = report.render(charts, "2025-12-31", 0, demo_build)
    assert 'data-charts-expected="0"' in page and page.count("No rows in this mart") == len(charts)


def test_report_exposure_lists_exactly_the_marts_the_report_reads(demo_build):
    manifest = json.loads((demo_build.parent / "target" / "manifest.json").read_text())
    exposure = manifest["exposures"]["exposure.customer_lifecycle.lifecycle_report"]
    parents = sorted(node.split(".")[-1] for node in exposure["depends_on"]["nodes"])
    assert parents == sorted(report.MARTS_USED)


def test_clv_holdout_chart_draws_both_models_against_the_actual_purchases(demo_build):
    """The demo sets no holdout, so its chart is a note saying how to get one; with the
    rows of a holdout build it draws the actual line and one predicted line per model."""
    marts = report.read_marts(demo_build)
    assert marts["clv_holdout_by_frequency"].empty
    note = report.clv_holdout(marts, "2025-12-31")
    assert note.figure is None and "clv_calibration_end_date" in note.explanation
    frequencies = list(range(8))
    marts["clv_holdout_by_frequency"] = report.pd.DataFrame([
        {"model_name": model, "calibration_frequency": k, "frequency_label": "7+" if k == 7 else str(k),
         "mean_actual_holdout_purchases": 0.5 * k, "mean_predicted_holdout_purchases": 0.4 * k + shift}
        for model, shift in [("bg_nbd", 0.0), ("pareto_nbd", 0.1)] for k in frequencies])
    chart = report.clv_holdout(marts, "2025-12-31")
    names = [trace.name for trace in chart.figure.data]
    assert names == ["actual", "BG/NBD predicted", "Pareto/NBD predicted"]
    assert list(chart.figure.data[0].x) == [str(k) for k in range(7)] + ["7+"]
