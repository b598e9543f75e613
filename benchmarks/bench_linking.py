"""Linking: posts per second through ``campaigns link`` at two sizes; the time may grow at most
about linearly (100k posts ≤ 12× the time of 10k posts: no quadratic step).

Each size runs on a fresh copy of the cached synthetic store (the engine writes its links and
suggestions), through ``campaigns.linking.suggest.link_posts``, the function the CLI calls.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy.engine import make_url

from benchmarks.common import Target, backend_of, emit, note, size_for
from benchmarks.generate import store_url
from db.engine import make_engine

TARGET = Target("<=", 12)


def link_seconds(url: str) -> tuple[float, int]:
    """(seconds, posts read) of one ``link_posts`` pass over every post of the store at ``url``."""
    from campaigns.linking.suggest import link_posts

    engine = make_engine(url)
    started = time.perf_counter()
    summary = link_posts(engine)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, summary.posts_read


def _working_copy(url: str, tmp: Path) -> str:
    """A throwaway copy of a cached store (SQLite file copy; PostgreSQL template database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        target = tmp / Path(parsed.database or "store.db").name
        shutil.copy(parsed.database or "", target)
        return f"sqlite:///{target}"
    import psycopg

    name = f"{parsed.database}_link"
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"')
    return parsed.set(database=name).render_as_string(hide_password=False)


def run(small: int, large: int, database_url: str | None) -> None:
    backend = backend_of(database_url)
    seconds: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-link-") as tmp:
        for posts in (small, large):
            url = _working_copy(store_url(size_for(posts), database_url, log=True), Path(tmp))
            elapsed, read = link_seconds(url)
            seconds[posts] = elapsed
            note(f"linking {posts} posts: {elapsed:.1f}s ({read} read)")
            emit("linking_rate", backend, f"{posts} posts", read / elapsed, None, "posts/s")
    emit(
        "linking_time_growth",
        backend,
        f"{large} vs {small} posts",
        seconds[large],
        seconds[small],
        "s",
        TARGET,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Linking posts per second at two sizes.")
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    run(args.small, args.large, args.database_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
