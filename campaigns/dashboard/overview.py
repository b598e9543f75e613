"""Overview: how do campaigns fare over time, and what tends to work?"""

from __future__ import annotations

import os
from datetime import date

import streamlit as st

from campaigns.analytics import (
    kaplan_meier,
    outcomes_by_year,
    success_by,
    success_by_demand_type,
    success_by_tactic,
    success_summary,
    survival_summary,
    time_to_event,
)
from campaigns.charts import outcomes_by_year_chart
from campaigns.charts_more import success_by_chart, success_over_time_chart, survival_chart
from campaigns.dashboard.state import filter_sidebar, filtered_frames
from campaigns.dashboard.ui import campaign_link, current_filter_params

st.title("How do campaigns fare over time?")
filters = filter_sidebar()
campaigns, demands, demands_csv = filtered_frames(os.environ.get("DATABASE_URL"), filters)

if campaigns.empty:
    st.info(
        "No campaigns match. Clear the filters in the sidebar, or load data: "
        "`campaigns demo` loads the demo campaigns, `campaigns import campaigns FILE.csv` your own."
    )
    st.stop()

today = date.today()
summary = success_summary(campaigns)
waiting = survival_summary(demands, "response", today)
cols = st.columns(5)
cols[0].metric("Campaigns", summary["campaigns"])
cols[1].metric("Demands", len(demands))
rate = summary["success_rate"]
low, high = summary["success_ci_low"], summary["success_ci_high"]
cols[2].metric(
    "Share won",
    f"{rate:.0%}" if rate is not None else "n/a",
    help=f"{summary['won']} won (every demand met) of {summary['decided']} decided campaigns"
    + (f", 95% interval {low:.0%}–{high:.0%}" if low is not None and high is not None else "")
    + f"; {summary['pending_excluded']} pending and {summary['unknown_excluded']} unknown "
    "left out.",
)
median = waiting["median_days"]
cols[3].metric(
    "Median days to first response",
    f"{median:.0f}" if median is not None else "n/a",
    help=f"Kaplan–Meier median over {waiting['n']} dated demands; {waiting['censored']} without "
    f"a response yet count as still waiting ({waiting['pending_censored']} of them pending).",
)
cols[4].metric(
    "Pending", summary["pending_excluded"], help="Campaigns still open: never counted as failures."
)

st.plotly_chart(outcomes_by_year_chart(outcomes_by_year(campaigns)), width="stretch")
st.plotly_chart(success_over_time_chart(success_by(campaigns, "year")), width="stretch")

st.subheader("What tends to work")
st.caption(
    "Each point is the share won among decided campaigns (demands, for demand types) with its "
    "95% interval; n is how many were decided. Few cases make wide intervals: read them as "
    "hints, not proof."
)
by_tactic, by_demand, by_struggle = st.tabs(["By tactic", "By demand type", "By struggle"])
with by_tactic:
    st.plotly_chart(success_by_chart(success_by_tactic(campaigns), "tactic"), width="stretch")
    st.caption("A campaign with several tactics counts under each of them.")
with by_demand:
    st.plotly_chart(
        success_by_chart(success_by_demand_type(demands), "demand_type", unit="demands"),
        width="stretch",
    )
with by_struggle:
    st.plotly_chart(
        success_by_chart(success_by(campaigns, "struggle"), "struggle"), width="stretch"
    )

st.subheader("How long until a demand ends?")
durations = time_to_event(demands, "outcome", today)
fit = kaplan_meier(durations["duration_days"], durations["observed"])
st.plotly_chart(
    survival_chart(fit, int(durations.attrs.get("pending_censored", 0))), width="stretch"
)
st.caption(
    f"Pending demands count as still open on {today.isoformat()}; "
    f"{durations.attrs.get('unknown_excluded', 0)} with an unknown outcome and "
    f"{durations.attrs.get('undated_excluded', 0)} without dates are left out."
)

st.subheader("Campaigns")
params = current_filter_params()
table = campaigns[
    [
        "title",
        "company",
        "parent_company",
        "worker_group",
        "struggle",
        "year",
        "status",
        "n_demands",
    ]
].assign(page=[campaign_link(c, params) for c in campaigns["campaign_id"]])
table = table.sort_values(["year", "title"], ascending=[False, True])
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "page": st.column_config.LinkColumn("Campaign page", display_text="open"),
        "year": st.column_config.NumberColumn(format="%d"),
    },
)
st.download_button(
    "Download demands.csv (these filters)",
    data=demands_csv,
    file_name="demands.csv",
    mime="text/csv",
)
