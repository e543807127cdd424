"""Documentation a newcomer can live in: `dbt docs generate` works on the demo build, every
model, seed, source, column (as built, from the catalog), semantic model, metric and exposure
is described, and each model's and seed's description opens with its grain."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import DB_FILE, PROJECT_DIR, run_dbt


@pytest.fixture(scope="module")
def docs(demo_build, tmp_path_factory):
    # docs generate opens the database for writing: give it a copy (other tests read the original)
    folder = tmp_path_factory.mktemp("docs")
    db_path = folder / DB_FILE
    shutil.copy(demo_build, db_path)
    run_dbt(["docs", "generate"], db_path, write_json=True)
    manifest = json.loads((folder / "target" / "manifest.json").read_text())
    catalog = json.loads((folder / "target" / "catalog.json").read_text())
    assert (folder / "target" / "index.html").exists()
    return manifest, catalog


def ours(nodes: dict, *types: str) -> dict:
    return {uid: node for uid, node in nodes.items()
            if node.get("resource_type") in types and node.get("package_name") == "customer_lifecycle"}


def test_every_model_and_seed_is_described_starting_with_its_grain(docs):
    manifest, _ = docs
    nodes = ours(manifest["nodes"], "model", "seed", "snapshot")
    assert len(nodes) > 60
    no_grain = sorted(uid for uid, node in nodes.items()
                      if not node["description"].strip().lower().startswith("one row"))
    assert not no_grain, f"descriptions must open with the grain ('One row per ...'): {no_grain}"


def test_every_built_column_is_described(docs):
    manifest, catalog = docs
    built = {uid: entry for uid, entry in catalog["nodes"].items() if uid.split(".")[0] in ("model", "seed")}
    assert len(built) > 60
    missing = []
    for uid, entry in built.items():
        described = {name.lower() for name, column in manifest["nodes"][uid]["columns"].items()
                     if column.get("description", "").strip()}
        missing += [f"{uid.split('.')[-1]}.{name}" for name in entry["columns"] if name.lower() not in described]
    assert not missing, f"columns without a description: {missing}"


def test_sources_semantic_models_metrics_and_exposures_are_described(docs):
    manifest, _ = docs
    undescribed = []
    for kind in ("sources", "semantic_models", "metrics", "exposures"):
        for uid, node in manifest[kind].items():
            if not node.get("description", "").strip():
                undescribed.append(uid)
            for name, column in node.get("columns", {}).items():
                if not column.get("description", "").strip():
                    undescribed.append(f"{uid}.{name}")
    assert not undescribed, undescribed
    assert len(manifest["metrics"]) >= 8 and len(manifest["exposures"]) == 2


def test_every_readme_table_row_renders_as_a_table_row():
    """GitHub-flavoured tables: a blank line inside a table ends it, and the rows after it
    show as raw pipes. Every line that starts with a pipe (outside code blocks) must
    render as a row of a table, and every table has a header."""
    from markdown_it import MarkdownIt

    for document in ("README.md", "DECISIONS.md"):
        text = (PROJECT_DIR / document).read_text()
        tokens = MarkdownIt("commonmark").enable("table").parse(text)
        rendered_rows = sum(token.type == "tr_open" for token in tokens)
        in_code, pipe_lines = False, 0
        for line in text.splitlines():
            if line.startswith("```"):
                in_code = not in_code
            elif not in_code and line.startswith("|") and not set(line) <= set("|-: "):
                pipe_lines += 1
        assert pipe_lines > 0 or document == "DECISIONS.md"
        assert rendered_rows == pipe_lines, f"{document}: {pipe_lines - rendered_rows} table lines render as text"
        assert sum(token.type == "thead_open" for token in tokens) == sum(token.type == "table_open" for token in tokens)


def test_layers_read_downwards_only(docs):
    """staging <- intermediate <- marts: no model reads a model of a later layer (before,
    int_customer_clv_predictions read the mart clv_model_parameters)."""
    manifest, _ = docs
    order = {"staging": 0, "intermediate": 1, "marts": 2}
    models = ours(manifest["nodes"], "model")

    def layer(node):
        return order[node["original_file_path"].split("/")[1]]

    upward = sorted(f"{node['name']} reads {models[parent]['name']}"
                    for node in models.values() for parent in node["depends_on"]["nodes"]
                    if parent in models and layer(models[parent]) > layer(node))
    assert len(models) > 60 and not upward, upward
