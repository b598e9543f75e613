"""The fast paths of post ingest store exactly what the plain path would."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from connectors.base import PostIn, content_hash
from db.bulk import ingest_posts, insert_posts, post_rows
from db.engine import session_scope
from db.models import Post

FETCHED = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


def _slow_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


@given(st.text())
def test_content_hash_is_the_hash_of_the_collapsed_text(text: str) -> None:
    assert content_hash(text) == _slow_hash(text)


def test_content_hash_collapses_every_kind_of_whitespace() -> None:
    for text in (" a b", "a b ", "a  b", "a\tb", "a\x1fb", "a\u00a0b", "a\nb", ""):
        assert content_hash(text) == _slow_hash(text), repr(text)
    assert content_hash("a \t b") == content_hash("a b")


def _posts() -> list[PostIn]:
    paris = timezone(timedelta(hours=1))
    return [
        PostIn("x", "1", "We demand  a  raise", author_handle="group", url="https://x.example/1",
               lang="en", posted_at=datetime(2021, 1, 9, 12, 0, tzinfo=paris), raw='{"id":"1"}'),
        PostIn("mastodon", "2", "Walkout today", posted_at=datetime(2021, 1, 10, 8, 30, 1, 5)),
        PostIn("bluesky", "3", "No date on this one", source_kind="news"),
        PostIn("x", "1", "the same id again in the batch"),
    ]  # fmt: skip


def _utc(value: datetime) -> datetime:
    """How the store reads a time back: aware, in UTC (naive input is taken to be UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _stored(engine: Engine) -> list[tuple[object, ...]]:
    with Session(engine) as session:
        posts = session.scalars(select(Post).order_by(Post.platform, Post.platform_post_id)).all()
        return [
            (p.platform, p.platform_post_id, p.source_kind, p.author_handle, p.url, p.text,
             p.lang, p.posted_at, p.posted_at_estimated, p.fetched_at, p.content_hash, p.raw)
            for p in posts
        ]  # fmt: skip


def test_ingest_stores_what_the_core_insert_of_post_rows_stores(sqlite_engine: Engine) -> None:
    counts = ingest_posts(sqlite_engine, _posts(), source_kind="worker_group", fetched_at=FETCHED)
    assert (counts.new, counts.duplicate) == (3, 1)
    stored = _stored(sqlite_engine)
    expected = {
        (r["platform"], r["platform_post_id"]): r
        for r in reversed(post_rows(_posts(), fetched_at=FETCHED, source_kind="worker_group"))
    }
    assert [(s[0], s[1]) for s in stored] == sorted(expected)
    for row in stored:
        want = expected[(row[0], row[1])]
        assert row[2:] == (
            want["source_kind"], want["author_handle"], want["url"], want["text"], want["lang"],
            _utc(want["posted_at"]), want["posted_at_estimated"], _utc(want["fetched_at"]),
            want["content_hash"], want["raw"],
        )  # fmt: skip
    paris_post = next(r for r in stored if r[0] == "x")
    assert paris_post[7] == datetime(2021, 1, 9, 11, 0, tzinfo=UTC)
    undated = next(r for r in stored if r[0] == "bluesky")
    assert undated[7] == FETCHED and undated[8] is True and undated[2] == "news"


def test_reingest_counts_every_post_as_a_duplicate(sqlite_engine: Engine) -> None:
    ingest_posts(sqlite_engine, _posts(), fetched_at=FETCHED)
    before = _stored(sqlite_engine)
    counts = ingest_posts(sqlite_engine, _posts(), fetched_at=FETCHED + timedelta(days=1))
    assert (counts.new, counts.duplicate) == (0, 4)
    assert _stored(sqlite_engine) == before


def test_runner_rows_and_import_store_the_same(engine: Engine, sqlite_engine: Engine) -> None:
    rows = post_rows(_posts(), fetched_at=FETCHED, source_kind="worker_group")
    with session_scope(engine) as session:
        counts = insert_posts(session.connection(), rows)
    assert (counts.new, counts.duplicate) == (3, 1)
    ingest_posts(sqlite_engine, _posts(), source_kind="worker_group", fetched_at=FETCHED)
    assert _stored(engine) == _stored(sqlite_engine)


def test_posts_seen_before_are_counted_even_when_the_page_sample_misses_them(
    sqlite_engine: Engine,
) -> None:
    page = [PostIn("x", f"{i:04d}", f"post {i}") for i in range(200)]
    # Sorted ids 0001-0003 fall between the sampled ones (every sixth of the sorted page).
    ingest_posts(sqlite_engine, page[1:4], fetched_at=FETCHED)
    counts = ingest_posts(sqlite_engine, page, fetched_at=FETCHED + timedelta(days=1))
    assert (counts.new, counts.duplicate) == (197, 3)
    stored = {row[1]: row for row in _stored(sqlite_engine)}
    assert len(stored) == 200
    assert stored["0002"][9] == FETCHED  # the first ingest's row is left alone
    assert stored["0100"][9] == FETCHED + timedelta(days=1)
