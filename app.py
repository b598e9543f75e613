"""Streamlit entry point: the pages of the dashboard (no logic here)."""

import streamlit as st

st.set_page_config(page_title="Campaign tracker", page_icon="✊", layout="wide")
pages = [
    st.Page("campaigns/dashboard/overview.py", title="Overview", default=True),
    st.Page("campaigns/dashboard/campaigns.py", title="Campaigns"),
    st.Page("campaigns/dashboard/companies.py", title="Companies"),
    st.Page("campaigns/dashboard/edit.py", title="Edit"),
    st.Page("campaigns/dashboard/review.py", title="Review"),
    st.Page("campaigns/dashboard/sources.py", title="Sources"),
    st.Page("campaigns/dashboard/export.py", title="Export"),
]
st.navigation(pages).run()
