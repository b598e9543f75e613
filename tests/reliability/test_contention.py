"""Dashboard reads while imports and post ingests write: no "database is locked", no lost write.

Four reader threads do what the dashboard does (load the coded data, build the campaign rows)
while one writer imports CSV files, another ingests pages of posts through the bulk path that
``campaigns import posts`` uses and a third pulls a paged feed through the connector runner
(recorded responses), for a bounded number of rounds. Every exception in any thread
fails the test; at the end every write must be there. Runs on SQLite (the point) and
PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from campaigns.dataset import campaign_rows, load_coded_data
from campaigns.imports import import_campaigns_csv
from campaigns.sources import add_source
from connectors.base import PostIn
from connectors.feeds import FeedConnector
from connectors.runner import RetryPolicy, pull_source
from db.bulk import ingest_posts
from db.models import Campaign, Demand, Post, SyncState
from tests.factories import campaign_rows as factory_campaign_rows
from tests.factories import write_csv
from tests.reliability.paged_feed import PagedFeeds, feed_url

pytestmark = pytest.mark.slow

READERS = 4
IMPORT_ROUNDS = 30
POST_ROUNDS = 30
POSTS_PER_PAGE = 40
FEED_PAGES = 30
FEED_PER_PAGE = 20


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def page_of_posts(round_number: int) -> list[PostIn]:
    start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=round_number)
    return [
        PostIn(
            platform="feed",
            platform_post_id=f"contention-{round_number}-{i}",
            text=f"Post {i} of round {round_number}: we demand a fair contract",
            url=f"https://news.example/{round_number}/{i}",
            posted_at=start + timedelta(minutes=i),
        )
        # a few ids repeat the previous round's, as overlapping pulls do
        for i in range(POSTS_PER_PAGE)
    ] + [
        PostIn(
            platform="feed",
            platform_post_id=f"contention-{max(0, round_number - 1)}-0",
            text="seen before",
            posted_at=start,
        )
    ]


def test_dashboard_reads_while_imports_and_pulls_write(engine: Engine, tmp_path: Path) -> None:
    campaigns_before = count(engine, Campaign)
    errors: list[BaseException] = []
    writers_done = threading.Event()
    reads = [0] * READERS
    start = threading.Barrier(READERS + 3)
    source = add_source(engine, "feed", feed_url("contention"), kind="news")
    feeds = PagedFeeds(pages=FEED_PAGES, per_page=FEED_PER_PAGE)
    pulled: list[object] = []

    def guarded(body: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                start.wait(timeout=60)
                body()
            except BaseException as exc:
                errors.append(exc)
                writers_done.set()

        return run

    def reader(index: int) -> Callable[[], None]:
        def body() -> None:
            while not writers_done.is_set():
                with Session(engine) as session:
                    data = load_coded_data(session)
                rows = campaign_rows(data)
                assert len(rows) >= campaigns_before
                reads[index] += 1

        return body

    def importer() -> None:
        for n in range(IMPORT_ROUNDS):
            path = write_csv(
                tmp_path / f"round-{n}.csv",
                factory_campaign_rows(f"contention-{n}", ["met", "pending"], year=2019 + n % 5),
            )
            summary = import_campaigns_csv(engine, path)
            assert summary.rows == 2

    ingested = {"new": 0}

    def puller() -> None:
        for n in range(POST_ROUNDS):
            counts = ingest_posts(engine, page_of_posts(n), source_kind="news")
            ingested["new"] += counts.new

    def feed_puller() -> None:
        assert source.id is not None
        connector = FeedConnector(transport=feeds.transport())
        result = pull_source(
            engine, source.id, connector, policy=RetryPolicy(max_pages=FEED_PAGES + 5)
        )
        assert result.status == "ok", result.error
        pulled.append(result)

    writer_threads = [
        threading.Thread(target=guarded(importer)),
        threading.Thread(target=guarded(puller)),
        threading.Thread(target=guarded(feed_puller)),
    ]
    reader_threads = [threading.Thread(target=guarded(reader(i))) for i in range(READERS)]
    for thread in reader_threads + writer_threads:
        thread.start()
    for thread in writer_threads:
        thread.join(timeout=600)
    writers_done.set()
    for thread in reader_threads:
        thread.join(timeout=120)

    locked = [e for e in errors if "locked" in str(e).lower()]
    assert not locked, f"'database is locked' reached a caller: {locked[0]!r}"
    assert not errors, f"a thread failed: {errors[0]!r}"
    assert all(not t.is_alive() for t in reader_threads + writer_threads)
    assert count(engine, Campaign) == campaigns_before + IMPORT_ROUNDS
    assert count(engine, Demand) >= 2 * IMPORT_ROUNDS
    assert ingested["new"] == POST_ROUNDS * POSTS_PER_PAGE
    assert count(engine, Post) == POST_ROUNDS * POSTS_PER_PAGE + FEED_PAGES * FEED_PER_PAGE
    with Session(engine) as session:
        state = session.get(SyncState, source.id)
        assert state is not None and state.posts_collected == FEED_PAGES * FEED_PER_PAGE
        assert state.resume_cursor is None and state.last_error is None
    assert len(feeds.requests) == FEED_PAGES  # each page fetched once
    assert min(reads) > 0, f"a reader never completed a read: {reads}"
    print(
        f"\ncontention ({engine.dialect.name}): {IMPORT_ROUNDS} imports, {POST_ROUNDS} post pages, "
        f"{FEED_PAGES} pulled feed pages, "
        f"{sum(reads)} dashboard reads by {READERS} threads"
    )
