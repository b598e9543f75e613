"""Post ingest: the project's path vs the raw driver, for new posts and for re-ingested duplicates.

The project's path is the one ``campaigns pull`` and ``campaigns import posts`` use:
``db.bulk.post_rows`` + ``insert_posts`` (``ingest_posts``), one transaction per page. The
baseline writes the same rows, already in the database's format, into the same schema with the
bare driver, one transaction per page too: ``sqlite3`` ``executemany`` (``INSERT OR IGNORE``
for duplicates) on SQLite; psycopg ``COPY`` (into a temporary table + ``INSERT ... ON CONFLICT
DO NOTHING`` for duplicates) on PostgreSQL. Rates are the best of a few rounds.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy.engine import make_url

from benchmarks.common import Target, backend_of, emit, note, size_for
from benchmarks.generate import registry_names, write_groups
from benchmarks.synthetic import FETCHED_AT, worker_groups
from benchmarks.synthetic import synthetic_posts as posts_of
from campaigns.registry import sync_registry
from connectors.base import PostIn
from db.bulk import POST_TABLE, ingest_posts, post_rows
from db.engine import make_engine, session_scope, upgrade

PAGE = 2_000  # as `campaigns import posts` (its CHUNK)
TARGET = Target(">=", 0.7)
COLUMNS = [c.name for c in POST_TABLE.columns if c.name != "id"]


def _prepare(url: str, size: Any) -> tuple[list[tuple[int, PostIn]], str]:
    """Migrate the store at ``url``, add the groups' sources; the posts with their source ids."""
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        sync_registry(session)
    companies, company_ids, names = registry_names(engine)
    groups = worker_groups(size, companies, names)
    _, source_ids = write_groups(engine, groups, company_ids)
    engine.dispose()
    return [(source_ids[h], p) for h, p in posts_of(size, groups, names)], url


def project_ingest(url: str, posts: list[tuple[int, PostIn]]) -> int:
    """The project's ingest, page by page; returns posts that were new."""
    engine = make_engine(url)
    new = 0
    for start in range(0, len(posts), PAGE):
        page = posts[start : start + PAGE]
        # Every synthetic page mixes sources; one ingest per source would only add statements.
        counts = ingest_posts(
            engine, [p for _, p in page], source_kind="worker_group", fetched_at=FETCHED_AT
        )
        new += counts.new
    engine.dispose()
    return new


def db_rows(posts: list[tuple[int, PostIn]], dialect: str) -> list[tuple[Any, ...]]:
    """The same rows as the project writes, already in the database's own format."""
    rows = []
    for row in post_rows([p for _, p in posts], fetched_at=FETCHED_AT, source_kind="worker_group"):
        if dialect == "sqlite":
            for key in ("posted_at", "fetched_at"):
                row[key] = row[key].replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
            row["posted_at_estimated"] = int(row["posted_at_estimated"])
        rows.append(tuple(row[c] for c in COLUMNS))
    return rows


def raw_sqlite(path: str, rows: list[tuple[Any, ...]], *, ignore: bool) -> None:
    conn = sqlite3.connect(path)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    sql = f"{verb} INTO post ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    for start in range(0, len(rows), PAGE):
        with conn:
            conn.executemany(sql, rows[start : start + PAGE])
    conn.close()


def raw_postgres(conninfo: str, rows: list[tuple[Any, ...]], *, ignore: bool) -> None:
    import psycopg

    columns = ", ".join(COLUMNS)
    with psycopg.connect(conninfo) as conn:
        for start in range(0, len(rows), PAGE):
            with conn.transaction(), conn.cursor() as cur:
                if ignore:
                    cur.execute(
                        "CREATE TEMP TABLE incoming (LIKE post INCLUDING DEFAULTS) ON COMMIT DROP"
                    )
                    target = "incoming"
                else:
                    target = "post"
                with cur.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
                    for row in rows[start : start + PAGE]:
                        copy.write_row(row)
                if ignore:
                    cur.execute(
                        f"INSERT INTO post ({columns}) SELECT {columns} FROM incoming ON CONFLICT (platform, platform_post_id) DO NOTHING"
                    )


def _best_rate(n: int, runs: list[float]) -> float:
    return n / min(runs)


def run(posts_count: int, database_url: str | None, rounds: int) -> None:
    backend = backend_of(database_url)
    size = size_for(posts_count)
    timings: dict[str, list[float]] = {k: [] for k in ("project", "project_dup", "raw", "raw_dup")}
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        for round_ in range(rounds):
            urls, cleanup = _fresh_stores(backend, database_url, Path(tmp), round_)
            try:
                posts, _ = _prepare(urls["project"], size)
                _prepare(urls["raw"], size)
                rows = db_rows(posts, "sqlite" if backend == "sqlite" else "postgresql")
                writer = _raw_writer(backend, urls["raw"])
                steps: list[tuple[str, Callable[[], object]]] = [
                    ("project", partial(project_ingest, urls["project"], posts)),
                    ("project_dup", partial(project_ingest, urls["project"], posts)),
                    ("raw", partial(writer, rows, ignore=False)),
                    ("raw_dup", partial(writer, rows, ignore=True)),
                ]
                for label, work in steps:
                    started = time.perf_counter()
                    work()
                    timings[label].append(time.perf_counter() - started)
                note(
                    f"ingest round {round_ + 1}: "
                    + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in timings.items())
                )
            finally:
                cleanup()
    baseline = "psycopg COPY" if backend == "postgresql" else "sqlite3 executemany"
    emit(
        "ingest",
        backend,
        f"{posts_count} posts",
        _best_rate(posts_count, timings["project"]),
        _best_rate(posts_count, timings["raw"]),
        "posts/s",
        TARGET if backend == "sqlite" else None,
        against=baseline,
    )
    emit(
        "reingest_duplicates",
        backend,
        f"{posts_count} posts",
        _best_rate(posts_count, timings["project_dup"]),
        _best_rate(posts_count, timings["raw_dup"]),
        "posts/s",
        TARGET if backend == "sqlite" else None,
        against=baseline
        + (" (temp table + ON CONFLICT)" if backend == "postgresql" else " OR IGNORE"),
    )


def _raw_writer(backend: str, url: str) -> Callable[..., None]:
    if backend == "sqlite":
        path = make_url(url).database or ""
        return lambda rows, ignore: raw_sqlite(path, rows, ignore=ignore)
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return lambda rows, ignore: raw_postgres(conninfo, rows, ignore=ignore)


def _fresh_stores(
    backend: str, database_url: str | None, tmp: Path, round_: int
) -> tuple[dict[str, str], Callable[[], None]]:
    if backend == "sqlite":
        urls = {k: f"sqlite:///{tmp}/{k}-{round_}.db" for k in ("project", "raw")}

        def cleanup() -> None:
            for path in tmp.glob(f"*-{round_}.db*"):
                path.unlink()

        return urls, cleanup
    import psycopg

    assert database_url is not None
    admin = (
        make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    names = {k: f"bench_ingest_{k}_{uuid.uuid4().hex[:8]}" for k in ("project", "raw")}
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names.values():
            conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    base = make_url(database_url).set(drivername="postgresql+psycopg")
    return {
        k: base.set(database=n).render_as_string(hide_password=False) for k, n in names.items()
    }, drop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Post ingest vs the raw driver.")
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    run(args.posts, args.database_url, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
