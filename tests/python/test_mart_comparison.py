"""The engine tests' table comparison (tests/mart_comparison.py) can fail: hand-built
frames with each kind of difference it must catch, and the ones it must let through."""
import datetime
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from mart_comparison import table_differences  # noqa: E402

DUCKDB = pd.DataFrame({
    "person_id": ["p1", "p2", "p3", None],
    "revenue": [10.0, 0.1 + 0.2, None, 1e-13],
    "steps": [1, 2, 3, 4],
    "occurred_at": pd.to_datetime(["2025-01-01 10:00:00.000000", "2025-01-02 00:00:00.000000", None,
                                   "2025-01-03 23:59:59.999999"]),
})


def other_engine() -> pd.DataFrame:
    """DUCKDB's rows in another order, with a driver's types: decimals, datetime objects."""
    frame = DUCKDB.iloc[[3, 1, 0, 2]].reset_index(drop=True).astype(object)
    frame["revenue"] = [Decimal("1E-13"), Decimal("0.3"), Decimal("10.00"), None]
    frame["occurred_at"] = [datetime.datetime(2025, 1, 3, 23, 59, 59, 999999), datetime.datetime(2025, 1, 2),
                            datetime.datetime(2025, 1, 1, 10), None]
    return frame


def test_the_same_rows_in_another_order_and_types_are_equal():
    # 0.1 + 0.2 is 0.30000000000000004 in floats, 0.3 as a decimal: equal to 1e-9 relative
    assert table_differences("t", DUCKDB, other_engine(), "other") == []


@pytest.mark.parametrize("column, row, value", [
    ("person_id", 1, "p9"),                                         # text
    ("person_id", 0, "p4"),                                         # missing on one side only
    ("revenue", 1, Decimal("0.3000001")),                           # 3.3e-7 relative: beyond 1e-9
    ("revenue", 0, None),                                           # a number against missing
    ("steps", 2, 2),                                                # an integer
    ("occurred_at", 2, datetime.datetime(2025, 1, 1, 10, 0, 0, 1)),  # one microsecond
    ("occurred_at", 3, datetime.datetime(2025, 1, 5)),              # a time against missing
])
def test_one_changed_value_is_a_difference(column, row, value):
    changed = other_engine()
    changed.loc[row, column] = value
    problems = table_differences("t", DUCKDB, changed, "other")
    assert len(problems) >= 1 and any(problem.startswith(f"t.{column}:") for problem in problems), problems


def test_a_missing_row_or_column_is_a_difference():
    assert table_differences("t", DUCKDB, other_engine().iloc[:3], "other") == ["t: 3 rows on other, 4 on DuckDB"]
    assert table_differences("t", DUCKDB, other_engine().drop(columns=["steps"]), "other")[0].startswith("t: columns")
