"""Overview: how do campaigns fare over time, and what tends to work?"""

from __future__ import annotations

import os
from datetime import date

import streamlit as st

from campaigns.charts import outcomes_by_year_chart
from campaigns.charts_more import success_by_chart, success_over_time_chart, survival_chart
from campaigns.dashboard.state import demands_csv, filter_sidebar, selection
from campaigns.dashboard.ui import PAGE_ROWS, campaign_link, current_filter_params, page_of_rows

# Every figure is the analytics module's on the rows the export writes for these filters
# (campaigns.summary computes them from per-campaign counts; tests check they are the same).
st.title("How do campaigns fare over time?")
filters = filter_sidebar()
chosen = selection(filters)

if chosen.count == 0:
    st.info(
        "No campaigns match. Clear the filters in the sidebar, or load data: "
        "`campaigns demo` loads the demo campaigns, `campaigns import campaigns FILE.csv` your own."
    )
    st.stop()

today = date.today()
summary = chosen.summary()
waiting = chosen.survival("response", today).summary()
cols = st.columns(5)
cols[0].metric("Campaigns", summary["campaigns"])
cols[1].metric("Demands", chosen.n_demands())
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
# no median: fewer than half have had a response so far ("not reached"), or nothing is dated
shown = f"{median:.0f}" if median is not None else ("not reached" if waiting["n"] else "n/a")
cols[3].metric(
    "Median days to first response",
    shown,
    help=f"Kaplan–Meier median over {waiting['n']} dated demands; {waiting['censored']} without "
    f"a response yet count as still waiting ({waiting['pending_censored']} of them pending)"
    + ("; fewer than half have had a response so far." if shown == "not reached" else "."),
)
cols[4].metric(
    "Pending", summary["pending_excluded"], help="Campaigns still open: never counted as failures."
)

st.plotly_chart(outcomes_by_year_chart(chosen.outcomes_by_year()), width="stretch")
st.plotly_chart(success_over_time_chart(chosen.success_by("year")), width="stretch")

st.subheader("What tends to work")
st.caption(
    "Each point is the share won among decided campaigns (demands, for demand types) with its "
    "95% interval; n is how many were decided. Few cases make wide intervals: read them as "
    "hints, not proof."
)
by_tactic, by_demand, by_struggle = st.tabs(["By tactic", "By demand type", "By struggle"])
with by_tactic:
    st.plotly_chart(success_by_chart(chosen.success_by_tactic(), "tactic"), width="stretch")
    st.caption("A campaign with several tactics counts under each of them.")
with by_demand:
    st.plotly_chart(
        success_by_chart(chosen.success_by_demand_type(), "demand_type", unit="demands"),
        width="stretch",
    )
with by_struggle:
    st.plotly_chart(success_by_chart(chosen.success_by("struggle"), "struggle"), width="stretch")

st.subheader("How long until a demand ends?")
durations = chosen.survival("outcome", today)
st.plotly_chart(
    survival_chart(durations.fit, int(durations.attrs["pending_censored"])), width="stretch"
)
st.caption(
    f"Pending demands count as still open on {today.isoformat()}; "
    f"{durations.attrs['unknown_excluded']} with an unknown outcome and "
    f"{durations.attrs['undated_excluded']} without dates are left out."
)

st.subheader("Campaigns")
params = current_filter_params()
table_slot = st.container()  # above the page picker
page, shown = page_of_rows("overview_page", chosen.count)
columns = ["title", "company", "parent_company", "worker_group", "struggle", "year", "status"]
table = chosen.table_page(page, [*columns, "n_demands", "campaign_id"], PAGE_ROWS)
table = table.assign(page=[campaign_link(c, params) for c in table.pop("campaign_id")])
with table_slot:
    st.caption(f"{chosen.count:,} campaigns. {shown}")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "page": st.column_config.LinkColumn("Campaign page", display_text="open"),
            "year": st.column_config.NumberColumn(format="%d"),
        },
    )
url = os.environ.get("DATABASE_URL")
st.download_button(
    "Download demands.csv (these filters)",
    data=lambda: demands_csv(url, filters),
    file_name="demands.csv",
    mime="text/csv",
)
