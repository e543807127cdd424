"""How the engine tests (Spark, PostgreSQL) compare a table with the DuckDB build: the same
rows in any order, numbers equal to 1e-9 relative, timestamps as naive UTC, decimals as
floats, missing values alike; and which data tests they leave to the DuckDB build."""
from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np
import pandas as pd

RELATIVE_TOLERANCE = 1e-9
# dbt's built-in generic tests: the adapters' own SQL, tested by them. They run on the
# DuckDB build, whose marts the other engines' marts must equal row for row; on another
# engine they would add minutes and no SQL of this project.
DBT_BUILT_IN_TESTS = ["not_null", "unique", "accepted_values", "relationships"]


NUMERIC = {"integer", "floating", "mixed-integer-float"}


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Comparable values: decimals as floats, timestamps and dates as naive UTC microseconds
    (NaT when missing), other missing values as None."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        kind = pd.api.types.infer_dtype(series, skipna=True) if series.dtype == object else ""
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out[column] = series.dt.tz_convert("UTC").dt.tz_localize(None)
        elif kind in ("decimal", "mixed") and any(isinstance(v, Decimal) for v in series.dropna()):
            out[column] = series.map(lambda v: None if v is None else float(v))
        elif kind in ("date", "datetime", "mixed") and any(isinstance(v, datetime.date) for v in series.dropna()):
            out[column] = pd.to_datetime(series)  # a driver's date and datetime objects
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].astype("datetime64[us]")
        else:
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def is_numeric(series: pd.Series) -> bool:
    return pd.api.types.infer_dtype(series, skipna=True) in NUMERIC


def sort_key(series: pd.Series) -> pd.Series:
    """A column as a sort key: numbers rounded to 9 significant digits (so values equal to
    the tolerance sort alike), anything else as text; missing values first."""
    if pd.api.types.is_datetime64_dtype(series):
        return pd.Series(series.to_numpy().view("int64"), index=series.index)  # NaT: the smallest
    if is_numeric(series):
        values = series.astype(float).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            exponent = np.floor(np.log10(np.abs(values)))
        scale = 10.0 ** (8 - np.where(np.isfinite(exponent), exponent, 0))
        return pd.Series(np.round(values * scale) / scale, index=series.index)
    return series.where(series.notna(), "\x00").astype(str)


def sort_rows(frame: pd.DataFrame) -> pd.DataFrame:
    keys = pd.DataFrame({i: sort_key(frame[column]) for i, column in enumerate(frame.columns)}, index=frame.index)
    order = keys.sort_values(list(keys.columns), kind="mergesort", na_position="first").index
    return frame.loc[order].reset_index(drop=True)


def equal_values(left: pd.Series, right: pd.Series) -> np.ndarray:
    """Row by row: both missing, or equal (numbers to RELATIVE_TOLERANCE)."""
    left_missing, right_missing = left.isna().to_numpy(), right.isna().to_numpy()
    both_missing = left_missing & right_missing
    if is_numeric(left) and is_numeric(right):
        a, b = left.astype(float).to_numpy(), right.astype(float).to_numpy()
        with np.errstate(invalid="ignore"):
            close = (a == b) | (np.abs(a - b) <= np.maximum(RELATIVE_TOLERANCE * np.maximum(np.abs(a), np.abs(b)),
                                                              1e-12))
        return both_missing | (close & ~left_missing & ~right_missing)
    if pd.api.types.is_datetime64_dtype(left) != pd.api.types.is_datetime64_dtype(right):
        left, right = (side.astype(str) if pd.api.types.is_datetime64_dtype(side) else side for side in (left, right))
    same = left.to_numpy() == right.to_numpy()
    return both_missing | (same & ~left_missing & ~right_missing)


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
        differing = np.flatnonzero(~equal_values(left[column], right[column]))
        if len(differing):
            i = differing[0]
            problems.append(f"{name}.{column}: {len(differing)} rows differ, e.g. DuckDB {left.loc[i].to_dict()}"
                            f" vs {engine} {right.loc[i].to_dict()}")
    return problems
