"""The bulk ingest path: new vs duplicate counts, fetch-time fallback, one transaction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from connectors.base import PostIn, content_hash
from db.bulk import ingest_posts, insert_posts, post_rows
from db.engine import session_scope
from db.models import Post
from tests.connectors.conftest import stored_posts

FETCHED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def post(n: int, **kw: object) -> PostIn:
    values: dict = {
        "platform": "bluesky",
        "platform_post_id": f"at://did:plc:a/app.bsky.feed.post/{n}",
        "text": f"post {n}",
        "posted_at": datetime(2024, 1, n, tzinfo=UTC),
    }
    values.update(kw)
    return PostIn(**values)


def test_counts_new_and_duplicates_across_and_within_batches(engine):
    first = ingest_posts(engine, [post(1), post(2), post(2)], fetched_at=FETCHED)
    assert (first.new, first.duplicate) == (2, 1)
    second = ingest_posts(engine, [post(2), post(3)], fetched_at=FETCHED)
    assert (second.new, second.duplicate) == (1, 1)
    assert len(stored_posts(engine)) == 3


def test_post_without_time_takes_the_fetch_time_flagged(engine):
    ingest_posts(engine, [post(1, posted_at=None)], fetched_at=FETCHED)
    (stored,) = stored_posts(engine).values()
    assert stored.posted_at == FETCHED and stored.posted_at_estimated
    assert stored.fetched_at == FETCHED
    assert stored.content_hash == content_hash("post 1")


def test_existing_post_is_left_untouched(engine):
    ingest_posts(engine, [post(1, text="original")], fetched_at=FETCHED)
    ingest_posts(engine, [post(1, text="edited later")], fetched_at=FETCHED)
    (stored,) = stored_posts(engine).values()
    assert stored.text == "original"


def test_a_failing_transaction_leaves_nothing(engine):
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        insert_posts(session.connection(), post_rows([post(1), post(2)], fetched_at=FETCHED))
        raise RuntimeError("crash before commit")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Post)).scalar_one() == 0
