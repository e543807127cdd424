"""How the engine tests (Spark, PostgreSQL) compare a table with the DuckDB build: the same
rows in any order, numbers equal to 1e-9 relative, timestamps as naive UTC, decimals as
floats, missing values alike; and which data tests they leave to the DuckDB build."""
from __future__ import annotations

import datetime
import math
from decimal import Decimal

import pandas as pd

RELATIVE_TOLERANCE = 1e-9
# dbt's built-in generic tests: the adapters' own SQL, tested by them. They run on the
# DuckDB build, whose marts the other engines' marts must equal row for row; on another
# engine they would add minutes and no SQL of this project.
DBT_BUILT_IN_TESTS = ["not_null", "unique", "accepted_values", "relationships"]


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Comparable values: decimals as floats, timestamps as naive UTC, missing as None."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out[column] = series.dt.tz_convert("UTC").dt.tz_localize(None)
        elif series.dtype == object and series.map(lambda v: isinstance(v, Decimal)).any():
            out[column] = series.map(lambda v: None if v is None else float(v))
        elif series.dtype == object and series.map(lambda v: isinstance(v, datetime.date)).any():
            out[column] = pd.to_datetime(series)  # a driver's date and datetime objects
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].astype("datetime64[us]").astype(str).where(out[column].notna(), None)
    return out.astype(object).where(lambda f: f.notna(), None)


def sort_rows(frame: pd.DataFrame) -> pd.DataFrame:
    keys = frame.apply(lambda column: column.map(
        lambda v: "\x00" if v is None or (isinstance(v, float) and math.isnan(v))
        else f"{v:.9g}" if isinstance(v, float) else str(v)))
    order = keys.sort_values(list(keys.columns)).index
    return frame.loc[order].reset_index(drop=True)


def values_equal(left, right) -> bool:
    left_missing = left is None or (isinstance(left, float) and math.isnan(left))
    right_missing = right is None or (isinstance(right, float) and math.isnan(right))
    if left_missing or right_missing:
        return left_missing and right_missing
    if isinstance(left, (int, float)) and isinstance(right, (int, float)) and not isinstance(left, bool):
        return math.isclose(float(left), float(right), rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12)
    return left == right


def table_differences(name: str, expected: pd.DataFrame, actual: pd.DataFrame, engine: str) -> list[str]:
    """What differs between two versions of one table (empty: equal)."""
    if sorted(actual.columns) != sorted(expected.columns):
        return [f"{name}: columns {sorted(actual.columns)} != {sorted(expected.columns)}"]
    actual = actual[list(expected.columns)]
    if len(actual) != len(expected):
        return [f"{name}: {len(actual)} rows on {engine}, {len(expected)} on DuckDB"]
    left, right = sort_rows(normalise(expected)), sort_rows(normalise(actual))
    problems = []
    for column in expected.columns:
        differing = [i for i, (a, b) in enumerate(zip(left[column], right[column])) if not values_equal(a, b)]
        if differing:
            i = differing[0]
            problems.append(f"{name}.{column}: {len(differing)} rows differ, e.g. DuckDB {left.loc[i].to_dict()}"
                            f" vs {engine} {right.loc[i].to_dict()}")
    return problems
