"""Companies side by side: campaigns, success rate, response time, mix of responses."""

from __future__ import annotations

import os
from datetime import date

import streamlit as st

from campaigns.charts_more import company_success_chart, response_mix_chart
from campaigns.dashboard.loaders import company_tree
from campaigns.dashboard.state import company_choices, filter_sidebar, selection
from campaigns.dashboard.ui import escape_markdown
from campaigns.summary_companies import compare_selected, response_mix_selected

URL = os.environ.get("DATABASE_URL")
COMPARE_PARAM = "compare"

st.title("Companies side by side")
filters = filter_sidebar()
chosen_campaigns = selection(filters, URL)
companies = company_choices(URL)
tree = company_tree(URL)

if chosen_campaigns.count == 0:
    st.info(
        "No campaigns match. Clear the filters in the sidebar, or load data: "
        "`campaigns demo` or `campaigns import campaigns FILE.csv`."
    )
    st.stop()

if "cmp_companies" not in st.session_state:
    wanted = [s for s in ",".join(st.query_params.get_all(COMPARE_PARAM)).split(",") if s]
    unknown = [s for s in wanted if s not in companies]
    if unknown:
        shown = escape_markdown(repr(unknown[0][:40]))  # from the link: the visitor's text
        st.warning(f"Ignored unknown company {shown} in the link.", icon="⚠️")
    known = [s for s in wanted if s in companies]
    if not known:  # default: the sidebar's companies, else the three groups with most campaigns
        campaigns = chosen_campaigns.campaigns(["parent_company", "company"])
        groups = campaigns["parent_company"].fillna(campaigns["company"]).value_counts()
        by_name = {name: slug for slug, name in companies.items()}
        known = list(filters.companies) or [by_name[n] for n in groups.index[:3] if n in by_name]
    st.session_state["cmp_companies"] = known

chosen = st.multiselect(
    "Companies to compare (a parent includes its subsidiaries)",
    options=list(companies),
    format_func=lambda slug: companies.get(slug, slug),
    key="cmp_companies",
)
if chosen:
    st.query_params[COMPARE_PARAM] = ",".join(chosen)
elif COMPARE_PARAM in st.query_params:
    del st.query_params[COMPARE_PARAM]
if not chosen:
    st.info("Choose one or more companies above to see them side by side.")
    st.stop()

table = compare_selected(chosen_campaigns, tree, chosen, date.today())
st.dataframe(
    table.drop(columns=["slug"]),
    hide_index=True,
    width="stretch",
    column_config={
        "company": "Company (with subsidiaries)",
        "success_rate": st.column_config.NumberColumn("Share won", format="percent"),
        "success_ci_low": st.column_config.NumberColumn("95% low", format="percent"),
        "success_ci_high": st.column_config.NumberColumn("95% high", format="percent"),
        "pending_excluded": st.column_config.NumberColumn("Pending (left out)"),
        "median_days_to_response": st.column_config.NumberColumn(
            "Median days to first response",
            format="%.0f",
            help="Kaplan–Meier median: demands without a response yet count as still waiting.",
        ),
        "retaliation_campaigns": st.column_config.NumberColumn(
            "Campaigns with retaliation", help="Of the campaigns where retaliation is recorded."
        ),
        "retaliation_known": st.column_config.NumberColumn("Retaliation recorded for"),
    },
)
st.plotly_chart(company_success_chart(table), width="stretch")
mix = response_mix_selected(chosen_campaigns, tree, chosen)
st.plotly_chart(response_mix_chart(mix), width="stretch")
st.caption(
    "Response types run from hostile (retaliation, reject) to yielding (full concession); "
    "reversal is a concession later withdrawn. The other filters in the sidebar apply."
)
