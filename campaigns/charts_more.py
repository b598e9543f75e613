"""More Plotly figures for the dashboard pages: rates with their intervals, survival curves,
response mixes and a campaign's timeline. One function per chart, tidy DataFrame in, Figure out.

Titles say what is counted over which denominator; colours are Okabe-Ito (colour-blind safe).
"""

from __future__ import annotations

import html
from datetime import timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from campaigns import codebook as cb
from campaigns.analytics import KaplanMeier
from campaigns.charts import OKABE_ITO

BLUE, SKY, GREEN, ORANGE = "#0072B2", "#56B4E9", "#009E73", "#E69F00"
RESPONSE_COLOURS = {
    "retaliation": "#D55E00",
    "reject": "#CC79A7",
    "procedural_resistance": "#E69F00",
    "no_response": "#999999",
    "statement": "#F0E442",
    "negotiation": "#56B4E9",
    "partial_concession": "#0072B2",
    "full_concession": "#009E73",
    "reversal": "#000000",
}
EVENT_COLOURS = {
    "campaign": "#999999",
    "demand": "#0072B2",
    "action": "#E69F00",
    "response": "#CC79A7",
    "outcome": "#009E73",
}


def _shown(value: object, limit: int | None = None) -> str:
    """A name or text from the data as Plotly should show it: the characters typed, since Plotly
    reads tags such as <a href> and <b> in labels and hover text."""
    text = str(value)
    return html.escape(text[:limit] if limit else text, quote=False)


def _empty(title: str) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(title=title)
    return figure


def _errors(table: pd.DataFrame) -> tuple[list[float], list[float]]:
    rate = table["success_rate"].astype(float)
    high = (table["success_ci_high"].astype(float) - rate).clip(lower=0).fillna(0)
    low = (rate - table["success_ci_low"].astype(float)).clip(lower=0).fillna(0)
    return high.tolist(), low.tolist()


def success_over_time_chart(by_year: pd.DataFrame) -> go.Figure:
    """Share of decided campaigns won per year with its 95% Wilson interval and the counts.

    ``by_year`` is ``analytics.success_by(campaigns, "year")``.
    """
    decided = by_year[by_year["decided"] > 0] if not by_year.empty else by_year
    if decided.empty:
        return _empty("No decided campaigns yet: the success rate needs won, partial or lost ones")
    high, low = _errors(decided)
    labels = [
        f"{int(w)} of {int(d)}" + (f" (+{int(p)} pending)" if p else "")
        for w, d, p in zip(
            decided["won"], decided["decided"], decided["pending_excluded"], strict=True
        )
    ]
    figure = go.Figure(
        go.Scatter(
            x=[str(int(y)) for y in decided["year"]],
            y=decided["success_rate"].astype(float).tolist(),
            mode="lines+markers+text",
            text=labels,
            textposition="top right",
            line={"color": GREEN},
            error_y={"type": "data", "array": high, "arrayminus": low, "color": GREEN},
            name="won ÷ decided",
            hovertemplate="%{x}: %{y:.0%} won (%{text} decided campaigns)<extra></extra>",
        )
    )
    total_pending = int(by_year["pending_excluded"].sum()) if not by_year.empty else 0
    figure.update_layout(
        title=(
            "Share of decided campaigns won, by year of first demand "
            f"(bars: 95% Wilson interval; {total_pending} pending left out)"
        ),
        yaxis={"title": "won ÷ (won + partial + lost)", "tickformat": ".0%", "range": [0, 1.05]},
        xaxis={"title": "year of first demand", "type": "category"},
        margin={"t": 70},
    )
    return figure


def success_by_chart(table: pd.DataFrame, column: str, *, unit: str = "campaigns") -> go.Figure:
    """Share won per value of ``column`` (tactic, demand type, struggle) with 95% interval and n.

    ``table`` is a ``success_by``-style frame; ``unit`` names what is counted.
    """
    label = column.replace("_", " ")
    decided = table[table["decided"] > 0] if not table.empty else table
    if decided.empty:
        return _empty(f"No decided {unit} to compare by {label}")
    decided = decided.sort_values(["success_rate", "decided"])
    high, low = _errors(decided)
    names = [
        f"{_shown(value)} (n={int(n)})"
        for value, n in zip(decided[column], decided["decided"], strict=True)
    ]
    figure = go.Figure(
        go.Scatter(
            x=decided["success_rate"].astype(float).tolist(),
            y=names,
            mode="markers",
            marker={"color": BLUE, "size": 10},
            error_x={"type": "data", "array": high, "arrayminus": low, "color": BLUE},
            customdata=list(
                zip(decided["won"], decided["decided"], decided["pending_excluded"], strict=True)
            ),
            hovertemplate=(
                "%{y}: %{x:.0%} won — %{customdata[0]} of %{customdata[1]} decided, "
                "%{customdata[2]} pending left out<extra></extra>"
            ),
        )
    )
    pending = int(table["pending_excluded"].sum()) if not table.empty else 0
    figure.update_layout(
        title=(
            f"Share of decided {unit} won, by {label} — n = decided {unit} "
            f"(95% Wilson interval; {pending} pending left out)"
        ),
        xaxis={"title": "won ÷ decided", "tickformat": ".0%", "range": [0, 1.05]},
        height=max(260, 60 + 32 * len(decided)),
        margin={"t": 70, "l": 10},
    )
    return figure


def survival_chart(fit: KaplanMeier, pending_censored: int, *, event: str = "outcome") -> go.Figure:
    """Kaplan–Meier curve of demands still waiting for ``event``, with its 95% band."""
    if fit.n == 0:
        return _empty(f"No dated demands to follow to their {event}")
    curve = fit.curve
    # Arrays, not lists: Plotly sends them packed instead of checking every point (a curve
    # over many demands has a point per distinct duration).
    days = curve["days"].to_numpy(dtype=float)
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=np.concatenate([days, days[::-1]]),
            y=np.concatenate(
                [
                    curve["ci_high"].to_numpy(dtype=float),
                    curve["ci_low"].to_numpy(dtype=float)[::-1],
                ]
            ),
            fill="toself",
            fillcolor="rgba(86,180,233,0.25)",
            line={"width": 0, "shape": "hv"},
            hoverinfo="skip",
            name="95% interval",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=days,
            y=curve["survival"].to_numpy(dtype=float),
            line={"color": BLUE, "shape": "hv"},
            name=f"still without {event}",
            hovertemplate="after %{x:.0f} days: %{y:.0%} still open<extra></extra>",
        )
    )
    median = (
        f"median {fit.median_days:.0f} days"
        if fit.median_days is not None
        else "median not reached"
    )
    figure.update_layout(
        title=(
            f"Share of demands still without an {event}, by days since the demand"
            f"<br><sup>Kaplan–Meier with 95% band; {fit.n} demands, {fit.events} reached it, {pending_censored} pending "
            f"counted as still open; {median}</sup>"
        ),
        xaxis={"title": "days since the demand was first stated"},
        yaxis={"title": "share still open", "tickformat": ".0%", "range": [0, 1.05]},
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 70},
    )
    return figure


def company_success_chart(compare: pd.DataFrame) -> go.Figure:
    """Share of decided campaigns won per company (subsidiaries included) with 95% interval."""
    decided = compare[compare["decided"] > 0] if not compare.empty else compare
    if decided.empty:
        return _empty("No decided campaigns for these companies")
    high, low = _errors(decided)
    figure = go.Figure(
        go.Bar(
            x=[_shown(company) for company in decided["company"]],
            y=decided["success_rate"].astype(float).tolist(),
            marker_color=OKABE_ITO["won"],
            error_y={"type": "data", "array": high, "arrayminus": low},
            text=[
                f"{int(w)} of {int(d)}"
                for w, d in zip(decided["won"], decided["decided"], strict=True)
            ],
            hovertemplate="%{x}: %{y:.0%} won (%{text} decided)<extra></extra>",
        )
    )
    figure.update_layout(
        title=(
            "Share of decided campaigns won, per company"
            "<br><sup>subsidiaries included; bars: 95% Wilson interval; labels: won of decided</sup>"
        ),
        yaxis={"title": "won ÷ decided", "tickformat": ".0%", "range": [0, 1.05]},
        margin={"t": 70},
    )
    return figure


def response_mix_chart(mix: pd.DataFrame) -> go.Figure:
    """Share of each response type per company, hostile (left) to yielding (right)."""
    if mix.empty or mix["responses"].sum() == 0:
        return _empty("No company responses recorded for these companies")
    totals = mix.groupby("company", sort=False)["responses"].sum()
    names = [f"{_shown(company)} (n={int(n)})" for company, n in totals.items()]
    figure = go.Figure()
    for response_type in cb.RESPONSE_TYPE.values:
        part = mix[mix["response_type"] == response_type].set_index("company")
        part = part.reindex(totals.index)
        figure.add_trace(
            go.Bar(
                y=names,
                x=part["share"].fillna(0).tolist(),
                customdata=part["responses"].fillna(0).astype(int).tolist(),
                orientation="h",
                name=response_type,
                marker_color=RESPONSE_COLOURS[response_type],
                hovertemplate=(
                    "%{y}: " + response_type + " %{x:.0%} (%{customdata} responses)<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        barmode="stack",
        title=(
            "Mix of company responses, hostile (left) to yielding (right)"
            "<br><sup>share of all recorded responses per company; n = responses</sup>"
        ),
        xaxis={"title": "share of responses", "tickformat": ".0%"},
        legend={"orientation": "h", "y": -0.4, "traceorder": "normal"},
        height=max(280, 140 + 40 * len(names)),
        margin={"t": 70},
    )
    return figure


def _date_range(dated: pd.DataFrame) -> list[str]:
    """The time axis: the events' span, padded so a campaign of one day still reads as dates."""
    first, last = min(dated["date"]), max(dated["date"])
    pad = max(timedelta(days=3), (last - first) * 0.05)
    return [(first - pad).isoformat(), (last + pad).isoformat()]


def campaign_timeline_chart(timeline: pd.DataFrame) -> go.Figure:
    """A campaign's dated events (demands, actions, responses, outcomes) on one time axis."""
    dated = timeline.dropna(subset=["date"]) if not timeline.empty else timeline
    if dated.empty:
        return _empty("No dated events for this campaign yet")
    figure = go.Figure()
    for kind, colour in EVENT_COLOURS.items():
        part = dated[dated["kind"] == kind]
        if part.empty:
            continue
        figure.add_trace(
            go.Scatter(
                x=[d.isoformat() for d in part["date"]],
                y=[kind] * len(part),
                mode="markers",
                marker={"color": colour, "size": 14},
                name=kind,
                # a summary is a post's words: its tags are shown, not read by the chart
                text=[_shown(w, 120) for w in part["what"]],
                hovertemplate="%{x}: %{text}<extra></extra>",
            )
        )
    figure.update_layout(
        title=f"Timeline: {len(dated)} dated events of this campaign",
        xaxis={
            "title": "date",
            "type": "date",
            "tickformat": "%Y-%m-%d",
            "range": _date_range(dated),
        },
        yaxis={"categoryorder": "array", "categoryarray": list(EVENT_COLOURS)[::-1]},
        height=300,
        showlegend=False,
        margin={"t": 60},
    )
    return figure
