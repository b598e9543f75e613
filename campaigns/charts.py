"""Plotly figures: one function per chart, each taking a tidy DataFrame and returning a Figure.

Titles say what is counted over which denominator. Colours are Okabe-Ito (colour-blind safe).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

OKABE_ITO = {
    "won": "#009E73",
    "partial": "#E69F00",
    "lost": "#D55E00",
    "pending": "#56B4E9",
    "unknown": "#999999",
}
STATUS_LABELS = {
    "won": "won (every demand met)",
    "partial": "partly won",
    "lost": "lost (no demand met)",
    "pending": "still pending",
    "unknown": "outcome unknown",
}


def outcomes_by_year_chart(by_year: pd.DataFrame) -> go.Figure:
    """Decided campaigns stacked per year (top) with pending and unknown shown apart (bottom).

    ``by_year`` has the columns year, status, campaigns (see analytics.outcomes_by_year).
    Each decided stack is labelled with its success rate and the number of decided campaigns.
    """
    figure = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        row_heights=[0.72, 0.28],
        vertical_spacing=0.08,
        subplot_titles=("Decided campaigns", "Not decided (left out of the rate)"),
    )
    if by_year.empty:
        figure.update_layout(title="No campaigns match these filters")
        return figure
    years = sorted(by_year["year"].unique())
    counts = by_year.pivot_table(
        index="year", columns="status", values="campaigns", aggfunc="sum", fill_value=0
    ).reindex(years, fill_value=0)
    for status, row in (("won", 1), ("partial", 1), ("lost", 1), ("pending", 2), ("unknown", 2)):
        values = counts[status] if status in counts else pd.Series(0, index=years)
        figure.add_trace(
            go.Bar(
                x=[str(y) for y in years],
                y=values.tolist(),
                name=STATUS_LABELS[status],
                marker_color=OKABE_ITO[status],
                hovertemplate="%{x}: %{y} campaigns " + STATUS_LABELS[status] + "<extra></extra>",
            ),
            row=row,
            col=1,
        )
    decided = counts.reindex(columns=["won", "partial", "lost"], fill_value=0).sum(axis=1)
    won = counts["won"] if "won" in counts else pd.Series(0, index=years)
    # One layout update for all the labels: add_annotation(row=, col=) per year costs ~5 ms each.
    labels = [
        {
            "x": str(year),
            "y": int(decided[year]),
            "text": f"{won[year] / decided[year]:.0%} won of {int(decided[year])}",
            "showarrow": False,
            "yshift": 10,
            "font": {"size": 11},
            "xref": "x",
            "yref": "y",
        }
        for year in years
        if decided[year]
    ]
    figure.update_layout(annotations=[*figure.layout.annotations, *labels])
    total_decided = int(decided.sum())
    total_won = int(won.sum())
    rate = f"{total_won / total_decided:.0%}" if total_decided else "n/a"
    figure.update_layout(
        barmode="stack",
        title=(
            "Campaign outcomes by year of first demand — "
            f"{rate} of {total_decided} decided campaigns won (pending left out)"
        ),
        legend={"orientation": "h", "y": -0.12},
        margin={"t": 80},
    )
    figure.update_yaxes(title_text="campaigns", row=1, col=1)
    figure.update_yaxes(title_text="campaigns", row=2, col=1)
    return figure
