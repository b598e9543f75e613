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


PAGE_ROWS = 100  # rows of a campaign table sent to the browser at once


def page_of_rows(key: str, total: int, per_page: int = PAGE_ROWS) -> tuple[int, str]:
    """(page number, what the page shows) of a long table; a page picker appears past one page.

    A table of every campaign would send them all to the browser on each rerun; a page keeps
    the rerun the same size however many campaigns match. Create the table in a container
    made before this call to show it above the picker.
    """
    pages = max(1, -(-total // per_page))
    if pages == 1:
        return 1, ""
    # Filters can shrink the table under a page picked before: then show its last page.
    st.session_state[key] = min(max(int(st.session_state.get(key, 1)), 1), pages)
    page = int(
        st.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, step=1, key=key)
    )
    first = (page - 1) * per_page
    last = min(first + per_page, total)
    return page, (
        f"Showing {first + 1:,}–{last:,}, newest first: page through below, or narrow the "
        "filters to find one."
    )
