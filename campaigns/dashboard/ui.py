"""Small display helpers shared by the pages (no figures, no data access)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import streamlit as st

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: object) -> str:
    """Record text made safe for a heading or label: Markdown characters are escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def campaign_link(campaign_id: str, params: dict[str, str] | None = None) -> str:
    """The relative link of a campaign's page, keeping the filters of the current view."""
    query = {**(params or {}), "campaign": campaign_id}
    return "campaigns?" + urlencode(query)


def current_filter_params() -> dict[str, str]:
    """The filter parameters of the current link (to carry them into links)."""
    from campaigns.dashboard.state import FILTER_KEYS

    return {
        key: ",".join(st.query_params.get_all(key)) for key in st.query_params if key in FILTER_KEYS
    }


def day_or_blank(value: object) -> str:
    """A date as YYYY-MM-DD, or an empty string."""
    return value.isoformat() if hasattr(value, "isoformat") else ""
