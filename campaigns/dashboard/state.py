"""Data access and filters shared by the dashboard pages (UI only; figures come from analytics)."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from campaigns import codebook as cb
from campaigns.dataset import load_coded_data
from campaigns.exports import demands_csv_text
from campaigns.filters import Filters, parse_filters
from campaigns.summary import DataSet, Selection, data_version, load_dataset
from db.models import Company


@st.cache_resource(show_spinner=False)
def get_store(url: str | None) -> Engine:
    from campaigns.store import open_store

    return open_store(url)


def store() -> Engine:
    return get_store(os.environ.get("DATABASE_URL"))


@st.cache_data(ttl=60, show_spinner=False)
def company_choices(url: str | None) -> dict[str, str]:
    """Slug -> display name of companies that have campaigns or subsidiaries with campaigns."""
    with Session(get_store(url)) as session:
        rows = session.execute(
            select(col(Company.slug), col(Company.name)).order_by(col(Company.name))
        ).all()
    return {slug: name for slug, name in rows}


@st.cache_data(ttl=30, show_spinner=False)
def data_version_of(url: str | None) -> tuple[int, ...]:
    """The data's fingerprint, checked at most every 30 s (edits clear it at once)."""
    with Session(get_store(url)) as session:
        return data_version(session)


@st.cache_resource(show_spinner="Loading the coded data set…", max_entries=1)
def _dataset(url: str | None, version: tuple[int, ...]) -> DataSet:
    # A resource, not cache_data: shared as is, never copied or pickled on a rerun.
    with Session(get_store(url)) as session:
        return load_dataset(session)


def dataset(url: str | None = None) -> DataSet:
    """Every campaign, demand and response as the dashboard's frames, loaded once per version."""
    url = url if url is not None else os.environ.get("DATABASE_URL")
    return _dataset(url, data_version_of(url))


def selection(filters: Filters, url: str | None = None) -> Selection:
    """The campaigns (and their demands and responses) that match ``filters``."""
    return dataset(url).select(filters)


def filtered_frames(url: str | None, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(campaigns, demands) rows for the filters, as ``campaign_rows`` / ``demand_rows`` give them."""
    chosen = selection(filters, url)
    return chosen.campaigns(), chosen.demands()


def demands_csv(url: str | None, filters: Filters) -> str:
    """``demands.csv`` for the filters, written by the export itself (built only when asked)."""
    with Session(get_store(url)) as session:
        return demands_csv_text(load_coded_data(session, filters))


def clear_caches() -> None:
    """Call after an edit so every page shows the new data."""
    company_choices.clear()
    data_version_of.clear()
    _dataset.clear()


def _init(key: str, value: object) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def filter_sidebar(*, years: tuple[int, int] = (2010, 2026)) -> Filters:
    """Sidebar filters, initialised from and written back to the query string (a shareable link)."""
    url = os.environ.get("DATABASE_URL")
    companies = company_choices(url)
    for key in FILTER_WIDGETS:
        if key in st.session_state:
            # A widget's state does not follow it to another page unless it is set again.
            st.session_state[key] = st.session_state[key]
    raw = {key: st.query_params.get_all(key) for key in st.query_params}
    parsed = parse_filters(raw, list(companies))
    for notice in parsed.notices:
        st.warning(notice + " Showing the view without it.", icon="⚠️")
    initial = parsed.filters
    _init("f_company", list(initial.companies))
    _init("f_struggle", list(initial.struggles))
    _init("f_tactic", list(initial.tactics))
    _init("f_demand_type", list(initial.demand_types))
    _init("f_outcome", list(initial.outcomes))
    low = initial.year_from if initial.year_from is not None else years[0]
    high = initial.year_to if initial.year_to is not None else years[1]
    _init("f_years", (max(min(low, years[1]), years[0]), min(max(high, years[0]), years[1])))

    with st.sidebar:
        st.header("Filters")
        st.multiselect(
            "Company (includes subsidiaries)",
            options=list(companies),
            format_func=lambda slug: companies.get(slug, slug),
            key="f_company",
        )
        st.multiselect("Struggle", options=list(cb.STRUGGLE.values), key="f_struggle")
        st.slider("Year of first demand", min_value=years[0], max_value=years[1], key="f_years")
        st.multiselect("Tactic", options=list(cb.TACTIC.values), key="f_tactic")
        st.multiselect("Demand type", options=list(cb.DEMAND_TYPE.values), key="f_demand_type")
        st.multiselect("Outcome (any demand)", options=list(cb.OUTCOME.values), key="f_outcome")
    year_from, year_to = st.session_state["f_years"]
    filters = Filters(
        companies=tuple(st.session_state["f_company"]),
        struggles=tuple(st.session_state["f_struggle"]),
        tactics=tuple(st.session_state["f_tactic"]),
        demand_types=tuple(st.session_state["f_demand_type"]),
        outcomes=tuple(st.session_state["f_outcome"]),
        year_from=None if year_from == years[0] else int(year_from),
        year_to=None if year_to == years[1] else int(year_to),
    )
    sync_query_params(filters)
    return filters


FILTER_WIDGETS = ("f_company", "f_struggle", "f_tactic", "f_demand_type", "f_outcome", "f_years")
FILTER_KEYS = ("company", "struggle", "tactic", "demand_type", "outcome", "from", "to")


def sync_query_params(filters: Filters) -> None:
    """Write the filters into the URL, keeping any other parameters a page uses."""
    current = {key: ",".join(st.query_params.get_all(key)) for key in st.query_params}
    wanted = {k: v for k, v in current.items() if k not in FILTER_KEYS}
    wanted.update(filters.to_query_params())
    if current != wanted:
        st.query_params.from_dict(wanted)
