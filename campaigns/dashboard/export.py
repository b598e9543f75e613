"""Export: download the research bundle (CSV files + datapackage.json) for the current filters."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from campaigns.dashboard.state import filter_sidebar, selection, store
from campaigns.exports import bundle_file_name, bundle_filters, export_zip_bytes

st.title("Export the data set")
filters = filter_sidebar()
chosen = selection(filters)
today = datetime.now(UTC).date()

st.write(
    "One zip file with campaigns.csv, demands.csv, actions.csv, responses.csv, evidence.csv, "
    "posts.csv, codebook.csv and datapackage.json (a Frictionless descriptor: every column's "
    "type, description and allowed values, the keys between files, licence, citation and the "
    "filters below). The same bundle as `campaigns export --zip FILE` with these filters."
)
summary = chosen.summary()
cols = st.columns(3)
cols[0].metric("Campaigns", summary["campaigns"])
cols[1].metric("Demands", chosen.n_demands())
cols[2].metric("Pending campaigns", summary["pending_excluded"])
st.caption("Filters applied (recorded in datapackage.json):")
st.json(bundle_filters(filters), expanded=False)
st.caption(
    "Post authors who are not a worker organisation or a company are pseudonymised, and their "
    "post ids and addresses are withheld. Check the bundle with "
    "`frictionless validate datapackage.json`."
)
st.download_button(
    "Download the bundle (.zip)",
    data=lambda: export_zip_bytes(store(), filters, as_of=today),
    file_name=bundle_file_name(filters, today),
    mime="application/zip",
    type="primary",
)
