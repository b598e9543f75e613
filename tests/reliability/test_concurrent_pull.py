"""Two `campaigns pull` of the same sources at once (PostgreSQL): no duplicates, no double fetch.

Both processes start together and meet before their first request, so they really overlap.
Each source is claimed with a row lock (``FOR NO KEY UPDATE SKIP LOCKED``): a source another
worker holds, or pulled since this run started, is skipped. Every feed page must be fetched
exactly once across both processes, every post stored once, and both must exit cleanly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from campaigns.sources import add_source
from db.engine import make_engine
from db.models import Post, SyncState
from tests.reliability.paged_feed import feed_url

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SOURCES = 6
PAGES, PER_PAGE = 6, 15


def start_pull(db_url: str, log: Path, rendezvous: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRASH_")}
    env.update(
        DATABASE_URL=db_url,
        PYTHONPATH=str(ROOT),
        CRASH_FEEDS=f"{PAGES},{PER_PAGE}",
        CRASH_REQUEST_LOG=str(log),
        CRASH_RENDEZVOUS=f"{rendezvous},2",
        COLUMNS="300",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.crash_driver", "pull"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_pulls_at_once_fetch_each_page_once(db_url: str, tmp_path: Path) -> None:
    if make_url(db_url).get_backend_name() != "postgresql":
        pytest.skip("concurrent pull workers are a PostgreSQL set-up (SQLite has one writer)")
    engine = make_engine(db_url)
    try:
        for n in range(SOURCES):
            add_source(engine, "feed", feed_url(f"group-{n}"), kind="worker_group")
    finally:
        engine.dispose()
    log = tmp_path / "requests.log"
    rendezvous = tmp_path / "rendezvous"
    rendezvous.mkdir()
    workers = [start_pull(db_url, log, rendezvous) for _ in range(2)]
    outputs = [w.communicate(timeout=600) for w in workers]
    for worker, (stdout, stderr) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, (stdout, stderr)

    requests = [line.split(" ", 1) for line in log.read_text().splitlines()]
    per_url = Counter(url for _, url in requests)
    doubled = {url: n for url, n in per_url.items() if n > 1}
    assert not doubled, f"fetched more than once: {doubled}"
    assert len(per_url) == SOURCES * PAGES
    assert len({pid for pid, _ in requests}) == 2, "both workers should have pulled something"

    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            posts = conn.execute(select(func.count()).select_from(Post)).scalar_one()
            distinct = conn.execute(
                select(func.count(func.distinct(Post.platform_post_id)))
            ).scalar_one()
            collected = conn.execute(select(func.sum(SyncState.posts_collected))).scalar_one()
    finally:
        engine.dispose()
    assert posts == distinct == collected == SOURCES * PAGES * PER_PAGE
