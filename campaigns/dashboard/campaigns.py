"""Campaigns: a searchable table, and each campaign's own page (``?campaign=<id>``)."""

from __future__ import annotations

import os
from datetime import date

import pandas as pd
import streamlit as st

from campaigns.charts_more import campaign_timeline_chart
from campaigns.dashboard.loaders import campaign_detail
from campaigns.dashboard.state import dataset, filter_sidebar, selection
from campaigns.dashboard.ui import (
    PAGE_ROWS,
    campaign_link,
    current_filter_params,
    escape_markdown,
    page_of_rows,
)

URL = os.environ.get("DATABASE_URL")
filters = filter_sidebar()
params = current_filter_params()
LINK = st.column_config.LinkColumn("Campaign page", display_text="open")


def show_list() -> None:
    st.title("Campaigns")
    chosen = selection(filters)
    if chosen.count == 0:
        st.info(
            "No campaigns match. Clear the filters in the sidebar, or load data: "
            "`campaigns demo` or `campaigns import campaigns FILE.csv`."
        )
        return
    query = st.text_input(
        "Search", key="campaign_search", placeholder="words in title, company, group, summary"
    )
    shown = chosen.search(query)
    table_slot = st.container()  # above the page picker
    page, showing = page_of_rows("campaign_page", shown.count)
    table = shown.table_page(page, TABLE_COLUMNS, PAGE_ROWS)
    table = table.assign(page=[campaign_link(c, params) for c in table["campaign_id"]])
    with table_slot:
        st.caption(
            f"{shown.count:,} of {chosen.count:,} campaigns. Select a row to open its page. "
            + showing
        )
        event = st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            key="campaign_table",
            on_select="rerun",
            selection_mode="single-row",
            column_order=["page", *TABLE_COLUMNS[1:]],
            column_config={
                "page": LINK,
                "title": st.column_config.TextColumn("Campaign", width="large"),
                "worker_group": "Worker group",
                "year": st.column_config.NumberColumn("Year", format="%d"),
                "n_demands": st.column_config.NumberColumn("Demands"),
            },
        )
    rows = event.selection.rows if event is not None else []
    titles = dict(zip(table["campaign_id"], table["title"], strict=True))
    chosen_id = st.selectbox(
        "Or open a campaign" + (" on this page" if shown.count > PAGE_ROWS else ""),
        options=[None, *titles],
        format_func=lambda c: "—" if c is None else str(titles[c]),
        key="campaign_open",
    )
    if rows:
        chosen_id = table.iloc[rows[0]]["campaign_id"]
    if chosen_id:
        st.query_params["campaign"] = chosen_id
        st.rerun()


TABLE_COLUMNS = [
    "campaign_id",
    "title",
    "company",
    "worker_group",
    "struggle",
    "year",
    "status",
    "n_demands",
    "tactics",
]


def show_campaign(campaign_id: str) -> None:
    detail = campaign_detail(URL, campaign_id)
    if detail is None:
        shown = escape_markdown(repr(campaign_id[:80]))  # from the link: the visitor's text
        st.warning(f"There is no campaign {shown}. Showing all campaigns instead.")
        del st.query_params["campaign"]
        show_list()
        return
    info = detail.campaign
    if st.button("← All campaigns"):
        del st.query_params["campaign"]
        st.rerun()
    st.title(escape_markdown(info["title"]))
    cols = st.columns(4)
    cols[0].metric("Company", info["company"] or "unknown")
    cols[1].metric("Outcome", info["status"])
    cols[2].metric("Demands", len(detail.demands))
    cols[3].metric("Year", info["year"] or "n/a")
    facts = {
        "Worker group": info["worker_group"],
        "Company group": info["parent_company"],
        "Business unit": info["business_unit"],
        "Struggle": info["struggle"],
        "Tactics": ", ".join(info["tactics"]),
        "Retaliation": {True: "yes", False: "no"}.get(info["retaliation"], "not recorded"),
        "Link to this page": campaign_link(campaign_id),
    }
    st.table(pd.DataFrame({"": list(facts), "value": [v or "—" for v in facts.values()]}))
    if info["summary"]:
        st.text(info["summary"])

    st.subheader("Timeline")
    st.plotly_chart(campaign_timeline_chart(detail.timeline), width="stretch")
    st.dataframe(
        detail.timeline[["date", "kind", "what", "evidence", "sources"]],
        hide_index=True,
        width="stretch",
        column_config={
            "what": st.column_config.TextColumn("What happened", width="large"),
            "evidence": st.column_config.LinkColumn("Evidence", display_text="source"),
            "sources": st.column_config.NumberColumn("Sources"),
        },
    )

    st.subheader("Demands and the responses that answered them")
    st.dataframe(
        detail.demands.drop(columns=["demand_id"]),
        hide_index=True,
        width="stretch",
        column_config={
            "demand": st.column_config.TextColumn("Demand", width="large"),
            "responses": st.column_config.TextColumn("Responses", width="large"),
        },
    )
    with st.expander(f"All evidence ({len(detail.evidence)} sources)"):
        st.dataframe(
            detail.evidence,
            hide_index=True,
            width="stretch",
            column_config={"url": st.column_config.LinkColumn("Source")},
        )

    st.subheader("Related campaigns")
    if detail.related.empty:
        st.caption("No related campaigns recorded.")
    else:
        st.dataframe(
            detail.related.assign(page=[campaign_link(c) for c in detail.related["campaign_id"]]),
            hide_index=True,
            column_config={"page": LINK},
        )

    st.subheader("Campaigns like this one")
    st.caption(
        "The most similar other campaigns (same company or group, demand type, tactics, struggle, "
        "wording) and how and how fast each ended."
    )
    similar = dataset(URL).similar_campaigns(campaign_id, as_of=date.today())
    if similar.empty:
        st.caption("No other campaign shares anything with this one yet.")
    else:
        st.dataframe(
            similar.assign(page=[campaign_link(c) for c in similar["campaign_id"]]),
            hide_index=True,
            width="stretch",
            column_order=[
                "page",
                "title",
                "company",
                "year",
                "status",
                "first_response",
                "ended",
                "score",
                "reasons",
            ],
            column_config={
                "page": LINK,
                "year": st.column_config.NumberColumn(format="%d"),
                "first_response": "First response",
                "ended": "How it ended",
                "score": st.column_config.ProgressColumn(
                    "Similarity", min_value=0.0, max_value=1.0, format="%.2f"
                ),
                "reasons": st.column_config.TextColumn("Why similar", width="large"),
            },
        )


selected = st.query_params.get("campaign")
if selected:
    show_campaign(selected)
else:
    show_list()
