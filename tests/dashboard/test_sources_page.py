"""The Sources page and the numbers behind it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from campaigns.sources import add_demo_sources, add_source, list_sources, source_table
from campaigns.store import load_demo
from db.engine import session_scope
from db.models import SyncState

PAGE = "campaigns/dashboard/sources.py"
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def test_source_table_shows_success_error_posts_and_next_allowed_time(engine: Engine) -> None:
    ok = add_source(engine, "feed", "https://example.org/feed.xml", kind="news")
    limited = add_source(engine, "bluesky", "awu.bsky.social", kind="worker_group", owner="AWU")
    with session_scope(engine) as session:
        session.execute(
            update(SyncState).where(SyncState.source_id == ok.id).values(
                last_success_at=NOW - timedelta(hours=1), posts_collected=12,
                backoff_until=NOW - timedelta(minutes=5),
            )
        )  # fmt: skip
        session.execute(
            update(SyncState).where(SyncState.source_id == limited.id).values(
                last_error="bluesky:awu.bsky.social: HTTP 429", backoff_until=NOW + timedelta(hours=2),
                consecutive_failures=3,
            )
        )  # fmt: skip
    rows = {row["id"]: row for row in source_table(list_sources(engine), NOW)}
    assert rows[ok.id]["last success"] == "2026-01-01 11:00 UTC"
    assert rows[ok.id]["posts collected"] == 12 and rows[ok.id]["next allowed"] == "now"
    assert rows[limited.id]["last success"] == "never"
    assert rows[limited.id]["next allowed"] == "2026-01-01 14:00 UTC"
    assert rows[limited.id]["owner"] == "AWU" and rows[limited.id]["failures in a row"] == 3


def test_demo_adds_real_sources_switched_off_once(engine: Engine) -> None:
    load_demo(engine)
    sources = list_sources(engine)
    assert sources and not any(s.active for s in sources)
    assert {"x", "bluesky", "feed"} <= {s.platform for s in sources}
    assert add_demo_sources(engine) == 0


def test_sources_page_lists_sources(engine: Engine, app_test: Callable[..., AppTest]) -> None:
    at = app_test(PAGE)
    assert not at.exception
    assert "No sources yet" in at.info[0].value
    add_source(engine, "feed", "https://example.org/feed.xml", kind="news")
    at = app_test(PAGE)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["handle"]) == ["https://example.org/feed.xml"]
    assert list(table["last success"]) == ["never"]
