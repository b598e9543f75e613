"""Sources: what the tracker follows and how each source's collection stands."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from campaigns.dashboard.state import store
from campaigns.sources import SOURCE_TABLE_COLUMNS, list_sources, source_table
from db.types import utcnow

st.title("Sources")
st.caption(
    "Accounts and feeds that `campaigns pull` collects from: last success, last error, posts "
    "collected and when the platform allows the next request."
)
rows = source_table(list_sources(store()), utcnow())
if not rows:
    st.info(
        "No sources yet. Add one with `campaigns sources add PLATFORM HANDLE --owner NAME`, "
        "or run `campaigns demo` for a few real ones (added switched off)."
    )
    st.stop()

frame = pd.DataFrame(rows, columns=list(SOURCE_TABLE_COLUMNS))
cols = st.columns(3)
cols[0].metric("Sources", len(frame), help=f"{int(frame['active'].sum())} active")
cols[1].metric("Posts collected", int(frame["posts collected"].sum()))
cols[2].metric("With an error", int((frame["last error"] != "").sum()))
st.dataframe(frame, hide_index=True, width="stretch")
