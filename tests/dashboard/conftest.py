"""AppTest helpers: run a dashboard page against a given store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app_test(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., AppTest]]:
    """Build an AppTest of the whole app on the test store, optionally with query params."""
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", db_url)
    st.cache_data.clear()
    st.cache_resource.clear()

    def build(page: str | None = None, **query: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        if page is not None:
            at.switch_page(page)
            at.run()
        return at

    yield build
    st.cache_data.clear()
    st.cache_resource.clear()
