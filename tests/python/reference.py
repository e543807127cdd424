"""An independent pandas implementation of staging and the `customers` mart.

Written from the definitions in DECISIONS.md, without reading the SQL, so that the
dbt build and this code agree only if both follow the definitions.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

NOW = pd.Timestamp.now(tz="UTC").tz_localize(None)
STATUS_MAP = {"completed": "completed", "complete": "completed", "paid": "completed",
              "fulfilled": "completed", "cancelled": "cancelled", "canceled": "cancelled",
              "refunded": "refunded", "returned": "refunded"}
SESSION_TIMEOUT = pd.Timedelta(minutes=30)


def read_raw(folder: Path, table: str) -> pd.DataFrame:
    for name in (f"{table}.csv.gz", f"{table}.csv"):
        if (folder / name).exists():
            frame = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
            return frame.apply(lambda col: col.str.strip()).replace("", None)
    return None


def to_utc(text: pd.Series) -> pd.Series:
    """ISO text to naive UTC. Naive and offset-carrying strings are parsed apart: pandas,
    given both in one call, applies the last offset it saw to the naive ones."""
    has_offset = text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", na=False)
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    parsed[~has_offset] = pd.to_datetime(text[~has_offset], errors="coerce", format="ISO8601")
    aware = pd.to_datetime(text[has_offset], utc=True, errors="coerce", format="ISO8601")
    parsed[has_offset] = aware.dt.tz_localize(None)
    return parsed


def staged_orders(folder: Path) -> pd.DataFrame:
    raw = read_raw(folder, "orders")
    frame = pd.DataFrame({
        "order_id": raw["order_id"], "customer_id": raw["customer_id"],
        "ordered_at": to_utc(raw["ordered_at"]),
        "amount": pd.to_numeric(raw["amount"], errors="coerce").round(2),
        "order_status": raw["status"].fillna("completed").str.lower().map(STATUS_MAP),
    })
    valid = (frame.order_id.notna() & frame.customer_id.notna() & frame.amount.notna() & (frame.amount >= 0)
             & frame.ordered_at.notna() & (frame.ordered_at <= NOW) & frame.order_status.notna())
    frame = frame[valid].copy()
    frame["precedence"] = frame.order_status.map({"refunded": 1, "cancelled": 2, "completed": 3})
    frame = frame.sort_values(["order_id", "precedence", "ordered_at"], ascending=[True, True, False])
    return frame.drop_duplicates("order_id").drop(columns="precedence")


def staged_events(folder: Path) -> pd.DataFrame:
    raw = read_raw(folder, "events")
    if raw is None:
        return pd.DataFrame(columns=["event_id", "anonymous_id", "customer_id", "event_name",
                                     "occurred_at", "session_id", "channel", "platform"])
    frame = raw.copy()
    frame["event_name"] = frame["event_name"].str.lower()
    frame["channel"] = frame["channel"].str.lower()
    frame["platform"] = frame["platform"].str.lower()
    frame["occurred_at"] = to_utc(raw["occurred_at"])
    valid = (frame.event_id.notna() & (frame.anonymous_id.notna() | frame.customer_id.notna())
             & frame.event_name.notna() & frame.occurred_at.notna() & (frame.occurred_at <= NOW))
    frame = frame[valid].sort_values(["event_id", "occurred_at"])
    return frame.drop_duplicates("event_id")


def staged_customers(folder: Path) -> pd.DataFrame:
    raw = read_raw(folder, "customers")
    if raw is None:
        return pd.DataFrame(columns=["customer_id", "created_at", "acquisition_channel", "country"])
    frame = raw.copy()
    frame["created_at"] = to_utc(raw["created_at"])
    bad_time = raw["created_at"].notna() & frame["created_at"].isna()
    valid = frame.customer_id.notna() & ~bad_time & ~(frame.created_at > NOW)
    frame = frame[valid].sort_values(["customer_id", "created_at"], na_position="last")
    frame["acquisition_channel"] = frame["acquisition_channel"].str.lower()
    return frame.drop_duplicates("customer_id")


def sessionized_events(events: pd.DataFrame) -> pd.DataFrame:
    """Stitch anonymous ids to their latest customer, then split sessions."""
    both = events[events.anonymous_id.notna() & events.customer_id.notna()]
    latest = both.sort_values(["occurred_at", "event_id"]).drop_duplicates("anonymous_id", keep="last")
    identity = latest.set_index("anonymous_id")["customer_id"]
    frame = events.copy()
    frame["customer_id"] = frame["customer_id"].fillna(frame["anonymous_id"].map(identity))
    frame["person_id"] = frame["customer_id"].fillna("anonymous:" + frame["anonymous_id"].fillna(""))
    untracked = frame[frame.session_id.isna()].sort_values(["person_id", "occurred_at", "event_id"])
    gap = untracked.groupby("person_id")["occurred_at"].diff()
    starts = (gap.isna() | (gap > SESSION_TIMEOUT)).astype(int)
    number = starts.groupby(untracked["person_id"]).cumsum()
    frame["session_key"] = frame["person_id"] + "|" + frame["session_id"].fillna("")
    frame.loc[untracked.index, "session_key"] = untracked["person_id"] + "|derived-" + number.astype(str)
    return frame


def customers_mart(folder: Path, as_of_date=None) -> pd.DataFrame:
    orders = staged_orders(folder)
    events = staged_events(folder)
    registered = staged_customers(folder)
    if as_of_date is None:
        as_of_date = max(orders.ordered_at.max().normalize(),
                         events.occurred_at.max().normalize() if len(events) else pd.Timestamp.min)
    as_of_date = pd.Timestamp(as_of_date)
    cutoff = as_of_date + pd.Timedelta(days=1)

    done = orders[(orders.ordered_at < cutoff) & (orders.order_status == "completed")].copy()
    done["order_date"] = done.ordered_at.dt.normalize()
    facts = done.groupby("customer_id").agg(
        first_order_at=("ordered_at", "min"), last_order_at=("ordered_at", "max"),
        order_count=("order_id", "count"), lifetime_revenue=("amount", "sum"),
        first_order_date=("order_date", "min"), last_order_date=("order_date", "max"))
    # exact quotient, rounded half away from zero (the commercial rule, DECISIONS.md)
    facts["avg_order_value"] = [
        float((Decimal(str(round(revenue, 2))) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        for revenue, count in zip(facts.lifetime_revenue, facts.order_count)]
    facts["is_repeat_customer"] = facts.order_count >= 2
    facts["days_since_last_order"] = (as_of_date - facts.last_order_date).dt.days
    facts["tenure_days"] = (as_of_date - facts.first_order_date).dt.days
    facts["cohort_month"] = facts.first_order_date.dt.to_period("M").dt.to_timestamp()

    observed = sessionized_events(events) if len(events) else events.assign(session_key=None, person_id=None)
    observed = observed[observed.customer_id.notna() & (observed.occurred_at < cutoff)]
    activity = observed.groupby("customer_id").agg(
        first_seen_event=("occurred_at", "min"), session_count=("session_key", "nunique"),
        event_count=("event_id", "count"))
    touches = observed[observed.channel.notna()].sort_values(["occurred_at", "event_id"])
    first_touch = touches.drop_duplicates("customer_id").set_index("customer_id")

    result = facts.join(activity, how="left")
    result["first_touch_channel"] = first_touch["channel"]
    result["acquisition_platform"] = first_touch["platform"].reindex(result.index).fillna("unknown")
    store_channel = registered.set_index("customer_id")["acquisition_channel"]
    result["acquisition_channel"] = (result["first_touch_channel"]
                                     .fillna(store_channel.reindex(result.index)).fillna("unknown"))
    result["first_seen_at"] = np.minimum(result.first_seen_event.fillna(result.first_order_at), result.first_order_at)
    result["session_count"] = result.session_count.fillna(0).astype(int)
    result["event_count"] = result.event_count.fillna(0).astype(int)
    columns = ["first_order_at", "last_order_at", "order_count", "lifetime_revenue", "avg_order_value",
               "is_repeat_customer", "first_seen_at", "acquisition_channel", "acquisition_platform",
               "cohort_month", "days_since_last_order", "tenure_days", "session_count", "event_count"]
    return result[columns].sort_index()
