"""SIGKILL a running `campaigns import campaigns`, `import posts`, `pull` and `link` at seeded points.

For each command an uninterrupted run on the same starting state gives the reference state
and the number of database steps it takes. Then, for each kill point, the store is reset, the
command is started and killed (SIGKILL) at a step chosen by a fixed seed (or, for one point per
command, from outside after a seeded delay), the store is checked (SQLite: ``PRAGMA
integrity_check`` and ``foreign_key_check``; PostgreSQL: no row points at a missing parent),
and a rerun must reach exactly the reference state (the export files, every table's row
count, the posts and the sync state). ``KILLS`` counts the kill points tried (printed with -s).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlmodel import SQLModel

from campaigns.exports import export_bundle
from campaigns.registry import sync_registry
from campaigns.sources import add_source
from db.engine import make_engine, session_scope
from tests.conftest import _truncate_all
from tests.factories import demand_row, write_csv
from tests.reliability.paged_feed import feed_url

# Exports compared across runs carry one date (a run may cross midnight).
AS_OF = date(2026, 1, 1)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
STEP_KILLS = 3  # kill points chosen among the database steps, per command and backend
DELAY_KILLS = 1  # kill points after a seeded delay, from outside
KILLS: Counter[str] = Counter()
FEEDS = "5,20"  # pages, entries per page
SEED = 20260109


def run_cli(
    db_url: str,
    args: list[str],
    *,
    kill_at: int | None = None,
    count_file: Path | None = None,
    kill_after: float | None = None,
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRASH_")}
    env.update(DATABASE_URL=db_url, CRASH_FEEDS=FEEDS, PYTHONPATH=str(ROOT))
    if kill_at is not None:
        env["CRASH_KILL_AT_STEP"] = str(kill_at)
    if count_file is not None:
        env["CRASH_COUNT_FILE"] = str(count_file)
    command = [sys.executable, "-m", "tests.reliability.crash_driver", *args]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    if kill_after is not None:
        try:
            process.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=600)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def reset(db_url: str) -> None:
    """Back to the starting state of every test: migrated, registry loaded, nothing else."""
    engine = make_engine(db_url)
    try:
        _truncate_all(engine)
        with session_scope(engine) as session:
            sync_registry(session)
    finally:
        engine.dispose()


def check_integrity(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        if engine.dialect.name == "sqlite":
            path = str(engine.url.database)
            raw = sqlite3.connect(path)
            try:
                assert [r[0] for r in raw.execute("PRAGMA integrity_check")] == ["ok"]
                assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
            finally:
                raw.close()
            return
        with engine.connect() as conn:
            for table in SQLModel.metadata.sorted_tables:
                for fk in table.foreign_keys:
                    parent = fk.column
                    orphans = conn.execute(
                        text(
                            f"SELECT count(*) FROM {table.name} c WHERE c.{fk.parent.name} IS NOT "
                            f"NULL AND NOT EXISTS (SELECT 1 FROM {parent.table.name} p WHERE "
                            f"p.{parent.name} = c.{fk.parent.name})"
                        )
                    ).scalar_one()
                    assert orphans == 0, f"{orphans} rows of {table.name} point at nothing"
    finally:
        engine.dispose()


def state(db_url: str, directory: Path) -> dict[str, Any]:
    """What a rerun must reproduce: export files, row counts, posts and sync state by key."""
    engine = make_engine(db_url)
    try:
        export_bundle(engine, directory, as_of=AS_OF)
        files = {p.name: p.read_bytes() for p in sorted(directory.iterdir())}
        with engine.connect() as conn:
            counts = {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in SQLModel.metadata.sorted_tables
            }
            posts = sorted(
                tuple(str(v) for v in row)
                for row in conn.execute(
                    text(
                        "SELECT p.platform, p.platform_post_id, p.text, p.url, p.posted_at, "
                        "p.content_hash, p.source_kind, s.handle FROM post p "
                        "LEFT JOIN source s ON s.id = p.source_id"
                    )
                )
            )
            suggestions = sorted(
                tuple(str(v) for v in row)
                for row in conn.execute(
                    text(
                        "SELECT s.fingerprint, s.role, s.campaign_id, s.demand_id, "
                        "s.response_id, s.score, s.status, s.model_version, p.platform_post_id "
                        "FROM suggestion s JOIN post p ON p.id = s.post_id"
                    )
                )
            )
            sync = sorted(
                tuple(str(v) for v in row)
                for row in conn.execute(
                    text(
                        "SELECT s.handle, st.high_water_mark, st.resume_cursor, st.etag, "
                        "st.posts_collected, st.consecutive_failures, st.last_error "
                        "FROM sync_state st JOIN source s ON s.id = st.source_id"
                    )
                )
            )
        return {
            "files": files,
            "counts": counts,
            "posts": posts,
            "sync": sync,
            "suggestions": suggestions,
        }
    finally:
        engine.dispose()


def crash_and_rerun(
    db_url: str,
    tmp_path: Path,
    name: str,
    args: list[str],
    setup: Callable[[], None],
) -> None:
    """Reference run, then each seeded kill point: kill, check, rerun, compare."""
    reset(db_url)
    setup()
    count_file = tmp_path / f"{name}-steps.txt"
    started = time.monotonic()
    reference_run = run_cli(db_url, args, count_file=count_file)
    duration = time.monotonic() - started
    assert reference_run.returncode == 0, reference_run.stderr
    reference = state(db_url, tmp_path / f"{name}-reference")
    total_steps = int(count_file.read_text())
    assert total_steps > STEP_KILLS + 1

    rng = random.Random(f"{SEED}-{name}")
    points: list[tuple[str, float]] = [
        ("step", step) for step in sorted(rng.sample(range(1, total_steps), STEP_KILLS))
    ]
    points += [("delay", rng.uniform(duration * 0.4, duration * 0.95)) for _ in range(DELAY_KILLS)]
    for n, (how, where) in enumerate(points):
        reset(db_url)
        setup()
        if how == "step":
            killed = run_cli(db_url, args, kill_at=int(where))
            assert killed.returncode == -signal.SIGKILL, (where, killed.returncode, killed.stderr)
        else:
            run_cli(db_url, args, kill_after=where)  # may finish before the delay: still checked
        KILLS[f"{name} ({how})"] += 1
        check_integrity(db_url)
        rerun = run_cli(db_url, args)
        assert rerun.returncode == 0, (how, where, rerun.stderr)
        check_integrity(db_url)
        assert state(db_url, tmp_path / f"{name}-after-{n}") == reference, (how, where)
    print(f"\nkill points tried so far: {dict(KILLS)} (total {sum(KILLS.values())})")


def big_campaigns_csv(path: Path, campaigns: int = 50) -> Path:
    rows = []
    for c in range(campaigns):
        for d in range(3):
            rows.append(
                demand_row(
                    campaign_id=f"crash-{c}",
                    campaign_title=f"Campaign {c}",
                    company=["Amazon", "Google", "Microsoft", f"Startup {c % 7}"][c % 4],
                    worker_group=f"Workers group {c % 11}",
                    demand_id=f"crash-{c}-d{d}",
                    demand=f"Demand {d} of campaign {c}",
                    tactics="petition;walkout" if c % 2 else "open_letter",
                    evidence_urls=f"https://news.example/{c}/{d}",
                )
            )
    return write_csv(path, rows)


def posts_jsonl(path: Path, n: int = 3000) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            post = {
                "platform": "bluesky",
                "platform_post_id": f"at://did:plc:crash/app.bsky.feed.post/{i}",
                "author_handle": "workers.bsky.social",
                "posted_at": f"2024-0{1 + i % 9}-{1 + i % 28:02d}T12:00:00+00:00",
                "text": f"Post {i}: we stand with the walkout",
                "url": f"https://bsky.app/profile/workers.bsky.social/post/{i}",
                "lang": "en",
                "source_kind": "worker_group",
            }
            handle.write(json.dumps(post) + "\n")
    return path


def test_killed_import_campaigns_reruns_to_the_same_state(db_url: str, tmp_path: Path) -> None:
    csv_path = big_campaigns_csv(tmp_path / "big.csv")
    crash_and_rerun(
        db_url, tmp_path, "import campaigns", ["import", "campaigns", str(csv_path)], lambda: None
    )


def test_killed_import_posts_reruns_to_the_same_state(db_url: str, tmp_path: Path) -> None:
    jsonl = posts_jsonl(tmp_path / "posts.jsonl")
    crash_and_rerun(db_url, tmp_path, "import posts", ["import", "posts", str(jsonl)], lambda: None)


def test_killed_link_reruns_to_the_same_state(db_url: str, tmp_path: Path) -> None:
    from campaigns.post_imports import import_posts_file
    from campaigns.store import load_demo

    posts = ROOT / "tests" / "data" / "linking" / "posts_dev.jsonl"

    def demo_and_posts() -> None:
        engine = make_engine(db_url)
        try:
            load_demo(engine)
            import_posts_file(engine, posts)
        finally:
            engine.dispose()

    crash_and_rerun(db_url, tmp_path, "link", ["link"], demo_and_posts)


def test_killed_pull_reruns_to_the_same_state(db_url: str, tmp_path: Path) -> None:
    def add_feeds() -> None:
        engine = make_engine(db_url)
        try:
            for name in ("union-news", "walkout-blog"):
                add_source(engine, "feed", feed_url(name), kind="worker_group", owner=name)
        finally:
            engine.dispose()

    crash_and_rerun(db_url, tmp_path, "pull", ["pull"], add_feeds)
