"""`make report`: a self-contained HTML report from the marts of the last build.

    python scripts/report.py [--db lifecycle.duckdb] [--out report/lifecycle_report.html]

It reads only the marts listed in MARTS_USED (the `lifecycle_report` exposure declares the
same list, and a test holds the two together), draws each chart with plotly, and inlines
plotly's JavaScript once, so the file opens without a network. Every chart is titled with
what it shows and the as-of date of the build. A chart whose mart is empty (e.g. funnels
built from orders alone) shows a note instead of an empty plot.

The page records what happened in the browser for tests: `data-charts-expected` (charts
with data), `data-charts-rendered` (charts that drew an SVG with at least one trace), and
`data-errors` (any script error).
"""
from __future__ import annotations

import argparse
import html
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

PROJECT_DIR = Path(__file__).resolve().parent.parent

# The marts the report reads: keep in step with exposure `lifecycle_report` (tested).
MARTS_USED = [
    "customers",
    "cohort_retention",
    "cohort_retention_curve",
    "funnel_conversion",
    "funnel_conversion_trends",
    "funnel_conversion_by_breakdown",
    "funnel_time_to_convert",
    "funnel_time_to_convert_histogram",
    "funnel_conversion_drivers",
    "event_paths_from_start",
    "funnel_dropoff_paths",
    "customer_rfm",
    "lifecycle_summary",
    "customer_clv",
    "clv_by_channel",
    "clv_holdout_by_frequency",
    "channel_performance",
    "channel_attribution",
    "stickiness",
]
# Marts a build may leave out (clv_probabilistic: false disables the CLV Python models and
# what reads them): read as empty, so their chart shows its note.
OPTIONAL_MARTS = {"clv_holdout_by_frequency"}

FUNNEL_TITLES = {"aisas": "AISAS", "aida": "AIDA", "aarrr": "AARRR", "five_a": "5A", "checkout": "Checkout"}
LIFECYCLE_COLOURS = {"new": "#2a9d8f", "returning": "#457b9d", "resurrecting": "#e9c46a", "dormant": "#e76f51"}


@dataclass
class Chart:
    chart_id: str
    title: str
    explanation: str
    figure: go.Figure | None  # None: the mart had no rows; a note is shown instead


def read_marts(db_path: Path) -> dict[str, pd.DataFrame]:
    if not db_path.exists():
        sys.exit(f"report: no database at {db_path}. Run `make build` first (or set DUCKDB_PATH).")
    with duckdb.connect(str(db_path), read_only=True) as con:
        present = set(con.sql("select table_name from information_schema.tables where table_schema = 'marts'")
                      .df().table_name)
        missing = [name for name in MARTS_USED if name not in present and name not in OPTIONAL_MARTS]
        if missing:
            sys.exit(f"report: marts missing from {db_path}: {', '.join(missing)}. Run `make build` first.")
        return {name: con.sql(f"select * from marts.{name}").df() if name in present else pd.DataFrame()
                for name in MARTS_USED}


def layout(figure: go.Figure, height: int = 420) -> go.Figure:
    """The house layout; the chart's title is the section heading above it."""
    figure.update_layout(height=height, template="plotly_white", margin={"l": 70, "r": 30, "t": 40, "b": 60},
                         legend={"orientation": "h", "y": -0.18})
    return figure


def retention_heatmap(marts, as_of: str) -> Chart:
    title = f"Monthly cohort retention: share of each first-order cohort buying again in month N (as of {as_of})"
    cells = marts["cohort_retention"]
    cells = cells[(cells.cohort_grain == "month") & (cells.breakdown == "(all)")
                  & (cells.retention_type == "first_time")]
    if cells.empty:
        return Chart("retention", title, "", None)
    grid = cells.pivot(index="cohort_start_date", columns="period_number", values="retention_rate").sort_index()
    complete = cells.pivot(index="cohort_start_date", columns="period_number", values="is_complete").sort_index()
    grid = grid.where(complete.astype("boolean").fillna(False).astype(bool))  # unfinished periods stay blank
    labels = [pd.Timestamp(day).strftime("%Y-%m") for day in grid.index]
    sizes = cells.groupby("cohort_start_date").cohort_size.first().reindex(grid.index)
    figure = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=[str(n) for n in grid.columns], y=[f"{m} (n={s})" for m, s in zip(labels, sizes)],
        colorscale="Blues", zmin=0, zmax=max(0.5, float(grid.iloc[:, 1:].max().max() or 0)) if grid.shape[1] > 1
        else 1, text=[[f"{v:.0%}" if pd.notna(v) else "" for v in row] for row in grid.to_numpy()],
        texttemplate="%{text}", hovertemplate="cohort %{y}<br>month %{x}: %{z:.1%}<extra></extra>",
        colorbar={"title": "retained", "tickformat": ".0%"}))
    figure.update_yaxes(autorange="reversed", title="cohort (first order month, size)")
    figure.update_xaxes(title="months since the first order", side="top")
    return Chart("retention", title, "Month 0 is 100% by definition; blank cells are periods not over yet.",
                 layout(figure, height=max(420, 22 * len(grid) + 140)))


def retention_curves(marts, as_of: str) -> Chart:
    title = f"First-time vs recurring retention: share of monthly cohorts active in month N (as of {as_of})"
    rows = marts["cohort_retention_curve"]
    rows = rows[(rows.cohort_grain == "month") & (rows.breakdown == "(all)")]
    if rows.empty:
        return Chart("retention_curves", title, "", None)
    figure = go.Figure()
    for retention_type, name, colour in [("first_time", "first-time (cohort = first order month)", "#264653"),
                                         ("recurring", "recurring (every month with an order)", "#e76f51")]:
        curve = rows[rows.retention_type == retention_type].sort_values("period_number")
        figure.add_trace(go.Scatter(x=curve.period_number, y=curve.retention_rate, mode="lines+markers", name=name,
                                    marker={"color": colour}, customdata=curve.customers,
                                    hovertemplate="month %{x}: %{y:.1%} of %{customdata:,}<extra></extra>"))
    figure.update_xaxes(title="months since the cohort month", dtick=1)
    figure.update_yaxes(title="active in month N", tickformat=".0%")
    return Chart("retention_curves", title, "Averages over complete cohorts, weighted by cohort size; a recurring "
                 "cohort takes in everyone active in its month, so it retains returning customers.", layout(figure))


def funnel_charts(marts, as_of: str) -> list[Chart]:
    steps = marts["funnel_conversion"].sort_values(["funnel_name", "step_number"])
    ordered = [name for name in FUNNEL_TITLES if name in set(steps.funnel_name)]
    ordered += sorted(set(steps.funnel_name) - set(ordered))  # funnels added to the seed
    charts = []
    for name in ordered or list(FUNNEL_TITLES):
        rows = steps[steps.funnel_name == name]
        label = FUNNEL_TITLES.get(name, name)
        title = f"{label} funnel: people reaching each step, with step conversion (as of {as_of})"
        if rows.empty:
            charts.append(Chart(f"funnel_{name}", title, "", None))
            continue
        text = [f"{people:,} ({rate:.1%} of previous)" if step > 1 else f"{people:,} entered"
                for people, rate, step in zip(rows.people_reached, rows.step_conversion_rate, rows.step_number)]
        figure = go.Figure(go.Funnel(
            y=[f"{n}. {s}" for n, s in zip(rows.step_number, rows.step_name)], x=rows.people_reached.tolist(),
            text=text, textinfo="text", marker={"color": "#457b9d"},
            hovertemplate="%{y}: %{x:,} people<extra></extra>"))
        window, unit = int(rows.conversion_window.iloc[0]), rows.conversion_window_unit.iloc[0]
        overall = rows.overall_conversion_rate.iloc[-1]
        charts.append(Chart(f"funnel_{name}", title,
                            f"{rows.order_mode.iloc[0]} steps within {window} {unit}{'' if window == 1 else 's'} of step 1; "
                            f"{overall:.1%} of entrants reach the last step.",
                            layout(go.Figure(figure), height=120 + 60 * len(rows))))
    return charts


def main_funnel(names) -> str:
    """The funnel the single-funnel charts show: checkout when there is one."""
    return "checkout" if "checkout" in set(names) else sorted(names)[0]


def trend_chart(marts, as_of: str) -> Chart:
    title = f"Funnel trend: share of each month's and week's entrants reaching the last step (as of {as_of})"
    rows = marts["funnel_conversion_trends"]
    if rows.empty:
        return Chart("funnel_trend", title, "", None)
    funnel = main_funnel(rows.funnel_name)
    rows = rows[(rows.funnel_name == funnel)]
    rows = rows[rows.step_number == rows.step_number.max()].sort_values("period_start")
    figure = go.Figure()
    for grain, colour in [("month", "#1d3557"), ("week", "#8ecae6")]:
        grain_rows = rows[rows.period_grain == grain]
        if grain_rows.empty:
            continue
        figure.add_trace(go.Scatter(
            x=grain_rows.period_start, y=grain_rows.overall_conversion_rate, name=f"by {grain} of entry",
            mode="lines+markers", line={"color": colour},
            marker={"symbol": ["circle" if done else "circle-open" for done in grain_rows.is_window_complete]},
            hovertemplate="%{x}: %{y:.1%}<extra>" + grain + "</extra>"))
    figure.update_yaxes(title="entrants reaching the last step", tickformat=".0%")
    label = FUNNEL_TITLES.get(funnel, funnel)
    return Chart("funnel_trend", title, f"{label} funnel; open markers: periods whose conversion window is still "
                 "open at the as-of date (they can still convert). Grains: var funnel_trend_grains.", layout(figure))


def breakdown_chart(marts, as_of: str) -> Chart:
    title = f"Funnel by platform: conversion by the platform at entry and at the furthest step (as of {as_of})"
    rows = marts["funnel_conversion_by_breakdown"]
    rows = rows[rows.breakdown_dimension == "platform"]
    if rows.empty:
        return Chart("funnel_breakdown", title, "", None)
    funnel = main_funnel(rows.funnel_name)
    rows = rows[rows.funnel_name == funnel]
    last = rows[rows.step_number == rows.step_number.max()]
    figure = go.Figure()
    for attribution, colour in [("first_touch", "#457b9d"), ("last_touch", "#e9c46a")]:
        bars = last[last.breakdown_attribution == attribution].sort_values("breakdown_value")
        if bars.empty:
            continue
        figure.add_trace(go.Bar(
            x=bars.breakdown_value, y=bars.people_entered, name=f"{attribution.replace('_', ' ')}: entered",
            marker={"color": colour}, customdata=bars.overall_conversion_rate,
            hovertemplate="%{x}: %{y:,} people, %{customdata:.1%} converted<extra>" + attribution + "</extra>"))
    figure.update_layout(barmode="group")
    figure.update_yaxes(title="people (counted attempts)")
    label = FUNNEL_TITLES.get(funnel, funnel)
    return Chart("funnel_breakdown", title, f"{label} funnel; each person counts once per attribution, under the "
                 "platform of their entry event (first touch) or of their furthest step's event (last touch; "
                 "orders carry no platform: unknown). Breakdowns: var funnel_breakdowns.", layout(figure))


def time_to_convert_chart(marts, as_of: str) -> Chart:
    title = f"Time to convert: share of each funnel's converters by time from step 1 to the last step (as of {as_of})"
    bins, summary = marts["funnel_time_to_convert_histogram"], marts["funnel_time_to_convert"]
    if bins.empty or summary.empty:
        return Chart("time_to_convert", title, "", None)
    last = summary.groupby("funnel_name").to_step.transform("max")
    whole = summary[(summary.from_step == 1) & (summary.to_step == last)]
    figure = go.Figure()
    medians = []
    for row in whole.sort_values("funnel_name").itertuples():
        rows = bins[(bins.funnel_name == row.funnel_name) & (bins.from_step == 1)
                    & (bins.to_step == row.to_step)].sort_values("bin_number")
        label = FUNNEL_TITLES.get(row.funnel_name, row.funnel_name)
        figure.add_trace(go.Scatter(x=rows.bin_end_seconds / 3600, y=rows.share_of_converters, mode="lines+markers",
                                    name=label, hovertemplate="up to %{x:.2f} h: %{y:.1%}<extra>" + label + "</extra>"))
        medians.append(f"{label} {row.p50_seconds / 3600:,.1f} h")
    figure.update_xaxes(title="hours from step 1 (bin's upper edge, log scale)", type="log")
    figure.update_yaxes(title="share of converters", tickformat=".0%")
    return Chart("time_to_convert", title, "Bins double in length unless a funnel sets time_to_convert_bin_seconds "
                 "(checkout: one hour). Median time to convert: " + ", ".join(medians) + ".", layout(figure))


def drivers_chart(marts, as_of: str) -> Chart:
    title = f"Conversion drivers: odds ratio of converting for people who did each event on the way (as of {as_of})"
    rows = marts["funnel_conversion_drivers"]
    if rows.empty:
        return Chart("drivers", title, "", None)
    funnel = "checkout" if "checkout" in set(rows.funnel_name) else sorted(rows.funnel_name)[0]
    rows = rows[rows.funnel_name == funnel].sort_values("odds_ratio")
    colours = ["#adb5bd" if small else ("#2a9d8f" if ratio >= 1 else "#e76f51")
               for small, ratio in zip(rows.is_small_count, rows.odds_ratio)]
    figure = go.Figure(go.Bar(x=rows.odds_ratio, y=rows.event_name, orientation="h", marker={"color": colours},
                              hovertemplate="%{y}: odds ratio %{x:.2f}<extra></extra>"))
    figure.update_xaxes(title="odds ratio (log scale; 1 = no association)", type="log")
    label = FUNNEL_TITLES.get(funnel, funnel)
    return Chart("drivers", title, f"{label} funnel: events between entry and conversion (or the window's end), "
                 "the funnel's steps left out; grey = a count below var funnel_driver_min_people. "
                 "An association, not a cause.", layout(figure, height=140 + 28 * len(rows)))


def positional_sankey(moves: pd.DataFrame, count: str, top: int = 6) -> go.Figure:
    """A Sankey of path moves, one column of nodes per step (node = step and event): each
    step's `top` most common moves, so the picture stays readable."""
    moves = moves[moves.move_rank <= top]
    nodes: dict[tuple[int, str], int] = {}

    def node(step: int, event: str) -> int:
        return nodes.setdefault((step, event), len(nodes))

    sources, targets, values = [], [], []
    for row in moves.sort_values(["step_index", "move_rank"]).itertuples():
        sources.append(node(row.step_index - 1, row.from_event_name))
        targets.append(node(row.step_index, row.to_event_name))
        values.append(getattr(row, count))
    last = max(step for step, _ in nodes) or 1
    return go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": [event for _, event in nodes], "x": [0.01 + 0.98 * step / last for step, _ in nodes],
              "pad": 12},
        link={"source": sources, "target": targets, "value": values}))


def start_paths_chart(marts, as_of: str) -> Chart:
    rows = marts["event_paths_from_start"]
    start = rows.start_event_name.iloc[0] if not rows.empty else "the start event"
    title = f"Paths from {start}: where people go next, move by move, in the same session (as of {as_of})"
    if rows.empty:
        return Chart("start_paths", title, "", None)
    return Chart("start_paths", title, f"Each session's first {start} (var path_start_event), then up to "
                 "path_max_events moves; each step's six most common moves, sized by paths.",
                 layout(positional_sankey(rows, "path_count"), height=520))


def dropoff_paths_chart(marts, as_of: str) -> Chart:
    title = f"After the drop-off: what people who stopped at a funnel step did next in that session (as of {as_of})"
    rows = marts["funnel_dropoff_paths"]
    if rows.empty:
        return Chart("dropoff_paths", title, "", None)
    funnel = "checkout" if "checkout" in set(rows.funnel_name) else sorted(rows.funnel_name)[0]
    rows = rows[rows.funnel_name == funnel]
    step = rows.groupby("dropped_at_step").people.sum().idxmax() if rows.dropped_at_step.nunique() else 1
    rows = rows[rows.dropped_at_step == step]
    label = FUNNEL_TITLES.get(funnel, funnel)
    return Chart("dropoff_paths", title, f"{label} funnel, people whose counted attempt stopped at step {step} "
                 f"({rows.dropped_at_step_name.iloc[0]}): the moves after that step's event, sized by people.",
                 layout(positional_sankey(rows, "people"), height=520))


def rfm_grid(marts, as_of: str) -> Chart:
    title = f"RFM grid: customers and revenue by recency (R) and frequency (F) score, with the main segment (as of {as_of})"
    rfm = marts["customer_rfm"]
    if rfm.empty:
        return Chart("rfm", title, "", None)
    rfm = rfm.assign(total_revenue=rfm.total_revenue.astype(float))
    cells = rfm.groupby(["f_score", "r_score"]).agg(customers=("customer_id", "count"),
                                                    revenue=("total_revenue", "sum")).reset_index()
    segment = (rfm.groupby(["f_score", "r_score"]).rfm_segment.agg(lambda s: s.value_counts().index[0])
               .rename("segment").reset_index())
    cells = cells.merge(segment, on=["f_score", "r_score"])
    scores = [1, 2, 3, 4, 5]
    customers = cells.pivot(index="f_score", columns="r_score", values="customers").reindex(index=scores,
                                                                                            columns=scores)
    lookup = {(row.f_score, row.r_score): row for row in cells.itertuples()}
    text = [[(f"{lookup[(f, r)].segment}<br>{lookup[(f, r)].customers:,} customers<br>"
              f"{lookup[(f, r)].revenue:,.0f} revenue") if (f, r) in lookup else "" for r in scores] for f in scores]
    figure = go.Figure(go.Heatmap(
        z=customers.to_numpy(), x=[f"R{r}" for r in scores], y=[f"F{f}" for f in scores], text=text,
        texttemplate="%{text}", colorscale="Teal", colorbar={"title": "customers"},
        hovertemplate="%{x} %{y}<br>%{text}<extra></extra>"))
    figure.update_xaxes(title="recency score (5 = bought most recently)")
    figure.update_yaxes(title="frequency score (5 = most purchases)")
    total = float(rfm.total_revenue.sum())
    return Chart("rfm", title, f"{len(rfm):,} scored customers, {total:,.0f} revenue in the RFM window.",
                 layout(figure, height=560))


def lifecycle_chart(marts, as_of: str) -> Chart:
    title = f"Customer lifecycle per month: new, returning, resurrecting and dormant customers (as of {as_of})"
    summary = marts["lifecycle_summary"]
    if summary.empty:
        return Chart("lifecycle", title, "", None)
    figure = go.Figure()
    for status, colour in LIFECYCLE_COLOURS.items():
        rows = summary[summary.lifecycle_status == status].sort_values("activity_month")
        sign = -1 if status == "dormant" else 1  # dormant drawn below the axis, as lifecycle charts do
        figure.add_trace(go.Bar(x=rows.activity_month, y=sign * rows.customers, name=status,
                                marker={"color": colour},
                                hovertemplate=f"{status}: %{{customdata:,}}<extra>%{{x|%Y-%m}}</extra>",
                                customdata=rows.customers))
    figure.update_layout(barmode="relative")
    figure.update_yaxes(title="customers (dormant below zero)")
    return Chart("lifecycle", title, "Active customers by how they came to be active; dormant = first inactive "
                 "month after an active one.", layout(figure))


def clv_distribution(marts, as_of: str) -> Chart:
    clv = marts["customer_clv"]
    predicted = clv.predicted_clv.dropna().astype(float)
    column, what = ("predicted_clv", "predicted CLV (BG/NBD x Gamma-Gamma)") if len(predicted) else \
        ("historical_clv", "historical CLV (probabilistic CLV is switched off)")
    title = f"Distribution of {what} per customer (as of {as_of})"
    values = clv[column].dropna().astype(float)
    if values.empty:
        return Chart("clv_distribution", title, "", None)
    figure = go.Figure(go.Histogram(x=values, nbinsx=60, marker={"color": "#2a9d8f"},
                                    hovertemplate="%{x}: %{y} customers<extra></extra>"))
    figure.update_xaxes(title=column.replace("_", " "))
    figure.update_yaxes(title="customers")
    return Chart("clv_distribution", title, f"Median {values.median():,.2f}, mean {values.mean():,.2f}, "
                 f"{len(values):,} customers.", layout(figure))


def clv_by_channel(marts, as_of: str) -> Chart:
    title = f"CLV per customer by first-touch channel: historical and predicted (as of {as_of})"
    rows = marts["clv_by_channel"].sort_values("acquisition_channel")
    if rows.empty:
        return Chart("clv_by_channel", title, "", None)
    figure = go.Figure([
        go.Bar(x=rows.acquisition_channel, y=rows.historical_clv_per_customer.astype(float), name="historical",
               marker={"color": "#457b9d"}),
        go.Bar(x=rows.acquisition_channel, y=rows.predicted_clv_per_customer.astype(float), name="predicted",
               marker={"color": "#e9c46a"}),
    ])
    figure.update_layout(barmode="group")
    figure.update_yaxes(title="per customer")
    return Chart("clv_by_channel", title, "Predicted = the next horizon, discounted; NULL (no bar) when "
                 "probabilistic CLV is off.", layout(figure))


def clv_holdout(marts, as_of: str) -> Chart:
    title = (f"CLV holdout: actual vs predicted purchases in the holdout by calibration frequency, "
             f"BG/NBD and Pareto/NBD (as of {as_of})")
    rows = marts["clv_holdout_by_frequency"]
    explanation = ("Each model is fitted on the calibration period only (to clv_calibration_end_date) and "
                   "forecasts each customer's purchase days in the holdout (to the as-of date); the lines are "
                   "the means per customer by the number of repeat purchases in calibration.")
    if rows.empty:
        return Chart("clv_holdout", title, "Set the var clv_calibration_end_date to a day before the as-of date "
                     "to see how BG/NBD and Pareto/NBD forecast a holdout period.", None)
    rows = rows.sort_values(["model_name", "calibration_frequency"])
    actual = rows[rows.model_name == rows.model_name.iloc[0]]
    figure = go.Figure(go.Scatter(x=actual.frequency_label, y=actual.mean_actual_holdout_purchases, name="actual",
                                  mode="lines+markers", line={"color": "#264653", "width": 3}))
    for model_name, label, colour in [("bg_nbd", "BG/NBD", "#2a9d8f"), ("pareto_nbd", "Pareto/NBD", "#e76f51")]:
        model_rows = rows[rows.model_name == model_name]
        figure.add_trace(go.Scatter(x=model_rows.frequency_label, y=model_rows.mean_predicted_holdout_purchases,
                                    name=f"{label} predicted", mode="lines+markers",
                                    line={"color": colour, "dash": "dash"}))
    figure.update_xaxes(title="repeat purchase days in the calibration period", type="category")
    figure.update_yaxes(title="purchase days in the holdout, per customer")
    return Chart("clv_holdout", title, explanation, layout(figure))


def stickiness_chart(marts, as_of: str) -> Chart:
    title = f"Stickiness: share of each week's active customers active on k or more days (as of {as_of})"
    rows = marts["stickiness"]
    rows = rows[(rows.period_grain == "week") & rows.is_period_complete]
    if rows.empty:
        return Chart("stickiness", title, "", None)
    latest = sorted(rows.period_start.unique())[-8:]
    figure = go.Figure()
    for period_start in latest:
        week = rows[rows.period_start == period_start].sort_values("active_days")
        figure.add_trace(go.Scatter(x=week.active_days, y=week.share_k_or_more, mode="lines+markers",
                                    name=str(pd.Timestamp(period_start).date()),
                                    hovertemplate="%{x}+ days: %{y:.1%}<extra>week of %{fullData.name}</extra>"))
    figure.update_xaxes(title="active on k or more days of the week", dtick=1)
    figure.update_yaxes(title="share of the week's active customers", tickformat=".0%")
    return Chart("stickiness", title, "The last eight complete weeks; an active day is a day with a qualifying "
                 "activity (var activity_events).", layout(figure))


def attribution_chart(marts, as_of: str) -> Chart:
    title = f"Revenue by channel under five attribution models (as of {as_of})"
    rows = marts["channel_attribution"]
    if rows.empty:
        return Chart("attribution", title, "", None)
    figure = go.Figure()
    for model, colour in [("first_touch", "#264653"), ("last_touch", "#2a9d8f"), ("linear", "#e9c46a"),
                          ("position_based", "#f4a261"), ("time_decay", "#e76f51")]:
        model_rows = rows[rows.attribution_model == model].sort_values("channel")
        figure.add_trace(go.Bar(x=model_rows.channel, y=model_rows.share_of_revenue, name=model.replace("_", " "),
                                marker={"color": colour}, hovertemplate="%{x}: %{y:.1%}<extra>" + model + "</extra>"))
    figure.update_layout(barmode="group")
    figure.update_yaxes(title="share of revenue", tickformat=".0%")
    return Chart("attribution", title, "Touches: sessions with a channel in the lookback before each completed "
                 "order (var attribution_lookback_days); (none): orders without one.", layout(figure))


def channel_comparison(marts, as_of: str) -> Chart:
    title = f"Channel performance: conversion, repeat, churn and 365-day revenue per customer (as of {as_of})"
    rows = marts["channel_performance"].sort_values("acquisition_channel")
    if rows.empty:
        return Chart("channels", title, "", None)
    figure = make_subplots(rows=1, cols=2, column_widths=[0.62, 0.38],
                           subplot_titles=("rates", "revenue per customer, first 365 days"))
    for column, name, colour in [("first_order_conversion_rate", "visitor to first order", "#2a9d8f"),
                                 ("repeat_rate_90d", "repeat within 90 days", "#457b9d"),
                                 ("churn_rate", "churned", "#e76f51")]:
        figure.add_trace(go.Bar(x=rows.acquisition_channel, y=rows[column], name=name, marker={"color": colour},
                                hovertemplate="%{x}: %{y:.1%}<extra>" + name + "</extra>"), row=1, col=1)
    figure.add_trace(go.Bar(x=rows.acquisition_channel, y=rows.avg_revenue_per_customer_365d.astype(float),
                            name="revenue per customer (365 d)", marker={"color": "#264653"}), row=1, col=2)
    figure.update_yaxes(tickformat=".0%", row=1, col=1)
    figure.update_layout(barmode="group")
    return Chart("channels", title, "Channels are first touch; visitors include anonymous ones.",
                 layout(figure, height=460))


def build_charts(marts: dict[str, pd.DataFrame], as_of: str) -> list[Chart]:
    return [
        retention_heatmap(marts, as_of),
        retention_curves(marts, as_of),
        *funnel_charts(marts, as_of),
        trend_chart(marts, as_of),
        breakdown_chart(marts, as_of),
        time_to_convert_chart(marts, as_of),
        drivers_chart(marts, as_of),
        start_paths_chart(marts, as_of),
        dropoff_paths_chart(marts, as_of),
        rfm_grid(marts, as_of),
        lifecycle_chart(marts, as_of),
        clv_distribution(marts, as_of),
        clv_by_channel(marts, as_of),
        clv_holdout(marts, as_of),
        channel_comparison(marts, as_of),
        attribution_chart(marts, as_of),
        stickiness_chart(marts, as_of),
    ]


# Records script errors and, once the page has loaded, how many charts drew something.
RECORDER = """
window.addEventListener('error', function (event) {
  var root = document.documentElement;
  var previous = root.getAttribute('data-errors');
  root.setAttribute('data-errors', (previous ? previous + ' | ' : '') + String(event.message));
});
window.addEventListener('load', function () {
  setTimeout(function () {
    var plots = document.querySelectorAll('.js-plotly-plot');
    var drawn = 0;
    plots.forEach(function (plot) {
      var svg = plot.querySelector('svg.main-svg');
      // calcdata: what plotly computed to draw each trace (typed arrays already decoded)
      var hasPoints = (plot.calcdata || []).some(function (trace) { return trace && trace.length > 0; });
      if (svg && svg.getBoundingClientRect().height > 0 && hasPoints) { drawn += 1; }
      else { plot.closest('section').setAttribute('data-failed', 'true'); }
    });
    document.documentElement.setAttribute('data-charts-rendered', String(drawn));
  }, 0);
});
"""

STYLE = """
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 0 auto; max-width: 1200px;
       padding: 24px; color: #1d3557; background: #fff; }
h1 { margin-bottom: 4px; } .meta { color: #555; margin-top: 0; }
section { border-top: 1px solid #ddd; padding: 12px 0 20px; }
section h2 { font-size: 1.05rem; margin: 8px 0 2px; } section p { color: #555; margin: 2px 0 8px; }
.empty { background: #f5f5f5; padding: 24px; color: #777; }
nav ul { columns: 2; padding-left: 18px; }
"""


def render(charts: list[Chart], as_of: str, customers: int, db_path: Path) -> str:
    expected = sum(chart.figure is not None for chart in charts)
    sections = []
    for chart in charts:
        body = (chart.figure.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{chart.chart_id}",
                                     config={"displaylogo": False, "responsive": True})
                if chart.figure is not None else '<div class="empty">No rows in this mart for this build.</div>')
        sections.append(f'<section id="{chart.chart_id}" data-chart="{chart.chart_id}">'
                        f"<h2>{html.escape(chart.title)}</h2><p>{html.escape(chart.explanation)}</p>{body}</section>")
    toc = "".join(f'<li><a href="#{c.chart_id}">{html.escape(c.title.split(" (as of")[0].split(":")[0])}</a></li>'
                  for c in charts)
    return f"""<!DOCTYPE html>
<html lang="en" data-charts-expected="{expected}">
<head><meta charset="utf-8"><title>Customer lifecycle report, as of {as_of}</title>
<style>{STYLE}</style>
<script>{RECORDER}</script>
<script>{get_plotlyjs()}</script>
</head>
<body>
<h1>Customer lifecycle report</h1>
<p class="meta">As of {as_of} &middot; {customers:,} buyers &middot; built from <code>{html.escape(db_path.name)}</code>
on {date.today().isoformat()} &middot; definitions in DECISIONS.md</p>
<nav><ul>{toc}</ul></nav>
{''.join(sections)}
</body></html>
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path,
                        default=Path(os.environ.get("DUCKDB_PATH", PROJECT_DIR / "lifecycle.duckdb")))
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "report" / "lifecycle_report.html")
    args = parser.parse_args()
    marts = read_marts(args.db)
    customers = marts["customers"]
    as_of = str(pd.Timestamp(customers.as_of_date.iloc[0]).date()) if len(customers) else "(no buyers)"
    charts = build_charts(marts, as_of)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(charts, as_of, len(customers), args.db), encoding="utf-8")
    print(f"report: {args.out} ({sum(c.figure is not None for c in charts)} of {len(charts)} charts with data)")


if __name__ == "__main__":
    main()
