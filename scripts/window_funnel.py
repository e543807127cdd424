"""The seeded funnels as ClickHouse windowFunnel calls, for the bench's yardstick and the
funnel test's independent check (chdb, in-process ClickHouse).

windowFunnel shares the project's definition for funnels that are ordered, have a closed
entry, no exclusion steps, a window of fixed length (not calendar months) and no event
name in two consecutive steps (it lets one event fill two levels in a row; the project
takes a different event for each step): DECISIONS.md, Funnels.
"""
from __future__ import annotations

import csv
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400, "week": 604800}


def window_seconds(settings: dict[str, str]) -> int | None:
    """A funnel_settings row's window in seconds; None for calendar months."""
    if settings["conversion_window"]:
        unit = settings["conversion_window_unit"] or "day"
        return int(settings["conversion_window"]) * UNIT_SECONDS[unit] if unit in UNIT_SECONDS else None
    return int(settings["conversion_window_days"]) * 86400


def comparable_funnels(with_exclusions: bool = False) -> dict[str, tuple[dict[int, set[str]], int]]:
    """{funnel: ({step number: event names}, window in seconds)} for the funnels whose
    definition windowFunnel shares. with_exclusions also lists ordered funnels that have
    exclusion steps (windowFunnel ignores them): the bench's yardstick of the same work."""
    with open(SEEDS / "funnel_settings.csv") as handle:
        settings = {row["funnel_name"]: row for row in csv.DictReader(handle)}
    with open(SEEDS / "funnel_steps.csv") as handle:
        steps = list(csv.DictReader(handle))
    with open(SEEDS / "funnel_exclusions.csv") as handle:
        excluded = {row["funnel_name"] for row in csv.DictReader(handle)}
    funnels = {}
    for name, row in settings.items():
        by_step: dict[int, set[str]] = {}
        for step in steps:
            if step["funnel_name"] == name:
                by_step.setdefault(int(step["step_number"]), set()).add(step["event_name"])
        shared = any(by_step[n] & by_step.get(n + 1, set()) for n in by_step)
        if (row["order_mode"] == "ordered" and row["is_open_entry"] == "false" and not shared
                and (with_exclusions or name not in excluded) and window_seconds(row) is not None):
            funnels[name] = (by_step, window_seconds(row))
    return dict(sorted(funnels.items()))


def window_funnel_sql(by_step: dict[int, set[str]], window_seconds: int, stream: str, at: str) -> str:
    """People per furthest level (level > 0) of one funnel over `stream` (a table expression
    with person_id, event_name and the DateTime column `at`)."""
    conditions = ", ".join("event_name in (" + ", ".join(f"'{event}'" for event in sorted(by_step[n])) + ")"
                           for n in sorted(by_step))
    return (f"select level, count() as people from (select person_id, windowFunnel({window_seconds})({at}, "
            f"{conditions}) as level from {stream} group by person_id) where level > 0 group by level")
