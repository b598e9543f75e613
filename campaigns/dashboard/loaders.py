"""Cached reads for the Campaigns, Companies and Edit pages (UI plumbing; no figures here)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import select
from sqlmodel import Session

from campaigns.dashboard.state import clear_caches, get_store
from campaigns.record_views import record_history
from campaigns.timeline import CampaignDetail, load_campaign_detail
from db.models import Company


@st.cache_data(ttl=60, show_spinner=False)
def company_tree(url: str | None) -> pd.DataFrame:
    """slug, name, parent_slug of every company (for 'parents include subsidiaries')."""
    with Session(get_store(url)) as session:
        companies = session.execute(select(Company)).scalars().all()
        rows = [(c.id, c.slug, c.name, c.parent_id) for c in companies]

    slugs = {row[0]: row[1] for row in rows}
    return pd.DataFrame(
        [{"slug": r[1], "name": r[2], "parent_slug": slugs.get(r[3])} for r in rows],
        columns=["slug", "name", "parent_slug"],
    )


@st.cache_data(ttl=60, show_spinner=False)
def campaign_detail(url: str | None, campaign_id: str) -> CampaignDetail | None:
    """One campaign's page content, or None when the id is unknown."""
    with Session(get_store(url)) as session:
        return load_campaign_detail(session, campaign_id)


@st.cache_data(ttl=10, show_spinner=False)
def history(url: str | None, record_type: str, record_id: str) -> pd.DataFrame:
    """A record's audit history, newest first."""
    return record_history(get_store(url), record_type, record_id)


def clear_after_edit() -> None:
    """Every page reads fresh data after an edit."""
    st.cache_data.clear()
    clear_caches()
