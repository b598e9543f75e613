"""Bulk post ingest: the one path by which posts enter the store (``pull`` and ``import posts``).

A page of posts is written in a handful of statements with ``ON CONFLICT (platform,
platform_post_id) DO NOTHING`` (SQLite: the driver's executemany of rows already in SQLite's
format; PostgreSQL: ``COPY`` into a temporary table, then ``INSERT ... SELECT``), so a post seen
before is counted as a duplicate, and the caller decides the transaction (one per page).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from connectors.base import PostIn, content_hash
from db.engine import session_scope
from db.models import Post, Quarantine
from db.types import utcnow

POST_TABLE: Table = Post.__table__  # type: ignore[attr-defined]
QUARANTINE_TABLE: Table = Quarantine.__table__  # type: ignore[attr-defined]
KNOWN_SAMPLE = 32  # posts of a page looked up first (see ingest_posts)
KEY_LOOKUP = 500  # ids per lookup of known posts (well under every driver's parameter limit)
# The fast paths name their columns (a column added later takes its default there).
_POST_COLUMNS = (
    "platform", "platform_post_id", "source_id", "source_kind", "author_handle", "url", "text",
    "lang", "posted_at", "posted_at_estimated", "fetched_at", "content_hash", "quote_of_url",
    "reply_to_url", "raw",
)  # fmt: skip
_PG_STAGE = "post_incoming"  # PostgreSQL: the temporary table a page is copied into
_SQLITE_KEY = itemgetter(0, 1)  # (platform, platform_post_id)
_SQLITE_INSERT = (
    f"INSERT INTO post ({', '.join(_POST_COLUMNS)}) VALUES ({', '.join('?' * len(_POST_COLUMNS))})"
    " ON CONFLICT (platform, platform_post_id) DO NOTHING"
)


@dataclass
class IngestCounts:
    """How many posts of a batch were new and how many the store already had."""

    new: int = 0
    duplicate: int = 0

    def add(self, other: IngestCounts) -> None:
        self.new += other.new
        self.duplicate += other.duplicate


def post_rows(
    posts: Iterable[PostIn],
    *,
    fetched_at: datetime | None = None,
    source_id: int | None = None,
    source_kind: str | None = None,
) -> list[dict[str, Any]]:
    """Insertable rows for ``posts``; a post without a time takes the fetch time, flagged."""
    fetched = fetched_at or utcnow()
    rows = []
    for post in posts:
        posted_at, estimated = post.posted_at, post.posted_at_estimated
        if posted_at is None:
            posted_at, estimated = fetched, True
        rows.append(
            {
                "platform": post.platform,
                "platform_post_id": post.platform_post_id,
                "source_id": source_id,
                "source_kind": post.source_kind or source_kind,
                "author_handle": post.author_handle,
                "url": post.url,
                "text": post.text,
                "lang": post.lang,
                "posted_at": posted_at,
                "posted_at_estimated": estimated,
                "fetched_at": fetched,
                "content_hash": content_hash(post.text),
                "quote_of_url": post.quote_of_url,
                "reply_to_url": post.reply_to_url,
                "raw": post.raw,
            }
        )
    return rows


def known_keys(conn: Connection, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (platform, platform_post_id) pairs among ``keys`` that the store already holds.

    One indexed lookup per platform and few hundred ids, so a page of posts seen before costs
    a read instead of a write (re-ingest and overlapping pulls are the common case).
    """
    by_platform: dict[str, list[str]] = defaultdict(list)
    for platform, post_id in keys:
        by_platform[platform].append(post_id)
    found: set[tuple[str, str]] = set()
    sqlite = conn.dialect.name == "sqlite"
    for platform, ids in by_platform.items():
        for start in range(0, len(ids), KEY_LOOKUP):
            chunk = ids[start : start + KEY_LOOKUP]
            if sqlite:  # the driver directly: no per-call statement building for a hot lookup
                marks = ", ".join("?" * len(chunk))
                sql = f"SELECT platform_post_id FROM post WHERE platform = ? AND platform_post_id IN ({marks})"
                rows = conn.exec_driver_sql(sql, (platform, *chunk))
                found.update((platform, post_id) for (post_id,) in rows)
                continue
            query = select(POST_TABLE.c.platform_post_id).where(
                POST_TABLE.c.platform == platform,
                POST_TABLE.c.platform_post_id.in_(chunk),
            )
            found.update((platform, post_id) for (post_id,) in conn.execute(query))
    return found


def _sqlite_time(value: datetime | None) -> str | None:
    """A timestamp as SQLAlchemy's SQLite DATETIME stores it (UTC, naive), as UTCDateTime does."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.isoformat(sep=" ", timespec="microseconds")[:26]  # no "+00:00"


def _sqlite_values(
    posts: Iterable[PostIn],
    *,
    fetched_at: datetime | None = None,
    source_id: int | None = None,
    source_kind: str | None = None,
) -> list[tuple[Any, ...]]:
    """What :func:`post_rows` makes, as tuples in SQLite's stored format (``_POST_COLUMNS``)."""
    fetched = _sqlite_time(fetched_at or utcnow())
    values = []
    for post in posts:
        posted, estimated = _sqlite_time(post.posted_at), post.posted_at_estimated
        if posted is None:
            posted, estimated = fetched, True
        values.append(
            (
                post.platform, post.platform_post_id, source_id, post.source_kind or source_kind,
                post.author_handle, post.url, post.text, post.lang, posted, estimated, fetched,
                content_hash(post.text), post.quote_of_url, post.reply_to_url, post.raw,
            )
        )  # fmt: skip
    return values


def _write_sqlite(conn: Connection, values: list[tuple[Any, ...]]) -> int:
    """The driver's executemany with values already in SQLite's format: for SQLite the type
    processing of a Core insert costs more than the insert itself. Rows go in key order, so a
    page's index entries land next to each other."""
    if not values:
        return 0
    values.sort(key=_SQLITE_KEY)
    return int(conn.exec_driver_sql(_SQLITE_INSERT, values).rowcount)


def _write_new(conn: Connection, rows: list[dict[str, Any]]) -> int:
    """Insert rows not seen before; a row another writer stored meanwhile is skipped."""
    if not rows:
        return 0
    if conn.dialect.name == "sqlite":
        return _write_sqlite(
            conn,
            [
                tuple(
                    _sqlite_time(row.get(c)) if c in ("posted_at", "fetched_at") else row.get(c)
                    for c in _POST_COLUMNS
                )
                for row in rows
            ],
        )
    if conn.dialect.name == "postgresql":
        return _write_postgres(conn, rows)
    raise NotImplementedError(
        f"bulk ingest supports SQLite and PostgreSQL, not {conn.dialect.name}"
    )


def _pg_time(value: datetime | None) -> datetime | None:
    """A timestamp as UTCDateTime binds it on PostgreSQL (naive values are UTC)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _write_postgres(conn: Connection, rows: list[dict[str, Any]]) -> int:
    """``COPY`` the rows into a temporary table of this transaction, then one
    ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``: PostgreSQL's bulk path, about three times
    the rate of a multi-row INSERT (bench_ingest.py), with the exact count of rows inserted.

    Runs on the caller's connection, in its transaction: a failure rolls back with the rest of
    the page, and a driver error comes out as SQLAlchemy's, as from any other statement.
    """
    import psycopg

    columns = ", ".join(_POST_COLUMNS)
    times = {"posted_at", "fetched_at"}
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {_PG_STAGE} ON COMMIT DROP AS "
        f"SELECT {columns} FROM post WITH NO DATA"
    )
    driver = conn.connection.driver_connection
    assert driver is not None, "an open connection"
    try:
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {_PG_STAGE} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(
                    [_pg_time(row.get(c)) if c in times else row.get(c) for c in _POST_COLUMNS]
                )
    except psycopg.Error as error:
        raise DBAPIError.instance(f"COPY {_PG_STAGE}", None, error, psycopg.Error) from error
    inserted = conn.exec_driver_sql(
        f"INSERT INTO post ({columns}) SELECT {columns} FROM {_PG_STAGE} "
        "ON CONFLICT (platform, platform_post_id) DO NOTHING"
    ).rowcount
    conn.exec_driver_sql(f"TRUNCATE {_PG_STAGE}")  # a second page in the same transaction
    return int(inserted)


def insert_posts(conn: Connection, rows: Sequence[dict[str, Any]]) -> IngestCounts:
    """Insert prepared rows inside the caller's transaction; existing posts are left alone."""
    known = known_keys(conn, {(row["platform"], row["platform_post_id"]) for row in rows})
    fresh: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["platform"], row["platform_post_id"])
        if key not in known:
            fresh.setdefault(key, row)
    new = _write_new(conn, list(fresh.values()))
    return IngestCounts(new=new, duplicate=len(rows) - new)


def insert_quarantine(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Keep unreadable payloads aside with their error (``source_id``, ``origin``, ``error``, ``raw``)."""
    if not rows:
        return 0
    now = utcnow()
    conn.execute(
        QUARANTINE_TABLE.insert(),
        [{"source_id": None, "raw": None, "received_at": now, **row} for row in rows],
    )
    return len(rows)


def ingest_posts(
    engine: Engine,
    posts: Iterable[PostIn],
    *,
    source_id: int | None = None,
    source_kind: str | None = None,
    fetched_at: datetime | None = None,
) -> IngestCounts:
    """Insert one batch of posts in its own transaction (posts already stored are skipped)."""
    posts = list(posts)
    with session_scope(engine) as session:
        conn = session.connection()
        keys = {(p.platform, p.platform_post_id) for p in posts}
        if len(keys) > 4 * KNOWN_SAMPLE:
            # A new page costs a few lookups, not one per post: look up a sample spread over
            # the page, and the whole page only when the sample finds posts seen before. A
            # known post the sample missed is still skipped by ON CONFLICT DO NOTHING and not
            # counted as new (both write paths report exactly the rows they inserted).
            ordered = sorted(keys)
            known = known_keys(conn, ordered[:: len(ordered) // KNOWN_SAMPLE])
            if known:
                known = known_keys(conn, keys)
        else:
            known = known_keys(conn, keys)
        fresh: dict[tuple[str, str], PostIn] = {}
        for post in posts:
            key = (post.platform, post.platform_post_id)
            if key not in known:
                fresh.setdefault(key, post)
        options: dict[str, Any] = {
            "fetched_at": fetched_at,
            "source_id": source_id,
            "source_kind": source_kind,
        }
        if conn.dialect.name == "sqlite":
            new = _write_sqlite(conn, _sqlite_values(fresh.values(), **options))
        else:
            new = _write_new(conn, post_rows(fresh.values(), **options))
    return IngestCounts(new=new, duplicate=len(posts) - new)
