"""Paths on the demo data equal a pandas implementation written from DECISIONS.md (Paths):
each inactivity session's events in time order (then event id), a run of one event kept
once; a path from a start event begins at the session's first `path_start_event`, a
drop-off path after the session's last event at or before the dropped step's time (the
session of the person's funnel event at that time); each takes the next path_max_events
moves, with one last move to '(session end)' when the session ends sooner. The input is
the person stream (int_person_events) and the people's furthest steps
(customer_funnel_progress); the path logic is the reference's own."""
import csv
from collections import Counter

import pandas as pd
import pytest

from conftest import PROJECT_DIR, query

DEPTH = 5             # dbt_project.yml: path_max_events
START = "product_view"  # dbt_project.yml: path_start_event
END = "(session end)"


@pytest.fixture(scope="module")
def sessions(demo_build):
    """{session_id: (person_id, [(event_name, occurred_at)] collapsed)} and the raw events."""
    events = query(demo_build, """select person_id, session_id, event_id, event_name, occurred_at
                                  from intermediate.int_person_events""")
    events = events.sort_values(["session_id", "occurred_at", "event_id"], kind="mergesort")
    collapsed = {}
    for (person, session), rows in events.groupby(["person_id", "session_id"], sort=False):
        kept = []
        for name, at in zip(rows.event_name, rows.occurred_at):
            if not kept or kept[-1][0] != name:
                kept.append((name, at))
        collapsed[session] = (person, kept)
    return collapsed, events


def moves_after(kept, anchor):
    """The (step_index, from, to) moves after position `anchor` (0-based) of a session."""
    path = [name for name, _ in kept[anchor:anchor + DEPTH + 1]]
    moves = [(k, path[k - 1], path[k]) for k in range(1, len(path))]
    if anchor + DEPTH >= len(kept):  # the session ends before the path's last step
        moves.append((len(path), path[-1], END))
    return moves


def test_paths_from_start_match_pandas(demo_build, sessions):
    collapsed, _ = sessions
    paths, people = Counter(), {}
    for person, kept in collapsed.values():
        names = [name for name, _ in kept]
        if START in names:
            for move in moves_after(kept, names.index(START)):
                paths[move] += 1
                people.setdefault(move, set()).add(person)
    expected = sorted((k, a, b, paths[(k, a, b)], len(people[(k, a, b)])) for (k, a, b) in paths)
    actual = query(demo_build, """select step_index, from_event_name, to_event_name, path_count, people
                                  from marts.event_paths_from_start order by all""")
    assert len(expected) > 50
    assert [tuple(row) for row in actual.itertuples(index=False)] == expected


def funnel_events():
    with open(PROJECT_DIR / "seeds" / "funnel_steps.csv") as handle:
        by_funnel = {}
        for row in csv.DictReader(handle):
            by_funnel.setdefault(row["funnel_name"], set()).add(row["event_name"])
    return by_funnel


def test_dropoff_paths_match_pandas(demo_build, sessions):
    collapsed, events = sessions
    progress = query(demo_build, "select * from marts.customer_funnel_progress where not has_completed_funnel")
    events_at = events.set_index(["person_id", "occurred_at"]).sort_index()
    names_of = funnel_events()
    people = Counter()
    for row in progress.itertuples(index=False):
        dropped_at = getattr(row, f"step_{row.furthest_step}_at")
        at_time = events_at.loc[(row.person_id, dropped_at)]
        session = min(at_time[at_time.event_name.isin(names_of[row.funnel_name])].session_id)
        kept = collapsed[session][1]
        anchor = max(i for i, (_, at) in enumerate(kept) if at <= dropped_at)
        for move in moves_after(kept, anchor):
            people[(row.funnel_name, row.furthest_step, *move)] += 1
    expected = sorted((*key, count) for key, count in people.items())
    actual = query(demo_build, """select funnel_name, dropped_at_step, step_index, from_event_name, to_event_name,
                                  people from marts.funnel_dropoff_paths order by all""")
    assert len(expected) > 100
    assert [tuple(row) for row in actual.itertuples(index=False)] == expected
