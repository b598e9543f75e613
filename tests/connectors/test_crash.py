"""Kill a pull mid-way (SIGKILL, in a child process) and rerun: nothing lost, nothing twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from db.engine import make_engine, upgrade
from db.models import Post
from tests.connectors.conftest import make_source, stored_posts, sync_state
from tests.connectors.crash_pull import PAGES, PER_PAGE

ROOT = Path(__file__).resolve().parents[2]
HANDLE = "alphabetworkers.bsky.social"


def run_child(url: str, source_id: int, mode: str, kill_on: str | None = None) -> list[str]:
    """Run the child pull; SIGKILL it as soon as it prints ``kill_on``. Returns its lines."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.connectors.crash_pull", url, str(source_id), mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    lines: list[str] = []
    assert child.stdout is not None
    try:
        for line in child.stdout:
            lines.append(line.strip())
            if kill_on is not None and line.strip() == kill_on:
                child.send_signal(signal.SIGKILL)
                break
        child.wait(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
    if kill_on is None:
        assert child.returncode == 0, child.stderr.read() if child.stderr else ""
    else:
        assert child.returncode == -signal.SIGKILL, lines
    return lines


def comparable(engine: Engine) -> dict[str, tuple]:
    return {
        key: (p.text, p.url, p.posted_at, p.author_handle, p.lang, p.raw)
        for key, p in stored_posts(engine).items()
    }


@pytest.fixture
def reference(tmp_path: Path) -> dict[str, tuple]:
    """The posts of an uninterrupted run (its own SQLite store)."""
    url = f"sqlite:///{tmp_path / 'reference.db'}"
    engine = make_engine(url)
    upgrade(engine)
    source_id = make_source(engine, "bluesky", HANDLE)
    lines = run_child(url, source_id, "complete")
    assert lines[-1] == f"DONE ok {PAGES * PER_PAGE}"
    posts = comparable(engine)
    engine.dispose()
    return posts


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["hang-in-transaction", "hang-in-request"])
def test_killed_pull_reruns_to_the_same_posts_without_duplicates(db_url, engine, reference, mode):
    source_id = make_source(engine, "bluesky", HANDLE)
    marker = "INSERTED 3" if mode == "hang-in-transaction" else "REQUEST 3"
    run_child(db_url, source_id, mode, kill_on=marker)
    # Pages 1 and 2 were committed with their cursor; page 3 died with its transaction.
    after_kill = stored_posts(engine)
    assert len(after_kill) == 2 * PER_PAGE
    state = sync_state(engine, source_id)
    assert state.resume_cursor is not None and '"cur2"' in state.resume_cursor
    assert state.posts_collected == 2 * PER_PAGE

    lines = run_child(db_url, source_id, "complete")
    assert lines[0] == "REQUEST 3"  # resumed where the committed cursor pointed
    assert lines[-1] == f"DONE ok {(PAGES - 2) * PER_PAGE}"
    assert comparable(engine) == reference
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(Post)).scalar_one()
    assert total == PAGES * PER_PAGE
    assert sync_state(engine, source_id).posts_collected == PAGES * PER_PAGE
