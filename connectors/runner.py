"""The shared runner: page through each source politely and store every page with its cursor.

Each page's posts and the source's advanced cursor are written in ONE transaction, so a crash
loses nothing (the page is fetched again) and a rerun duplicates nothing (posts are unique per
platform id). 5xx and timeouts are retried with exponential backoff; a 429 is waited out when
its reset is near, otherwise the source is skipped until then (``backoff_until``); 401/403/404
mark the source with a clear error while the other sources go on. A repeated or missing
pagination cursor ends paging. Sleeping and the clock are parameters, so tests never sleep.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from connectors.base import (
    AccessDenied,
    Clock,
    Connector,
    ConnectorError,
    MalformedPayload,
    NormalizeError,
    NotConfigured,
    Page,
    Position,
    RateLimited,
    Sleeper,
    SourceRef,
    TransientError,
    check_storable,
    dumps,
)
from db.bulk import insert_posts, insert_quarantine, post_rows
from db.engine import session_scope
from db.models import Source, SyncState
from db.types import utcnow

log = logging.getLogger(__name__)
PULLABLE_PLATFORMS = ("x", "bluesky", "mastodon", "feed")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: retries for transient errors, how long a 429 may be waited out."""

    attempts: int = 4
    base_delay: float = 2.0
    max_delay: float = 60.0
    max_rate_limit_wait: float = 120.0
    default_rate_limit_wait: float = 900.0
    max_pages: int = 50


class Deferred(ConnectorError):
    """Rate limited for longer than we wait: skip the source until ``reset_at``."""

    def __init__(self, message: str, reset_at: datetime) -> None:
        super().__init__(message)
        self.reset_at = reset_at


@dataclass
class SourceResult:
    """What one pull did for one source: the row of the summary table."""

    source_id: int
    platform: str
    handle: str
    status: str = "ok"  # ok | failed | rate_limited | waiting | skipped
    pages: int = 0
    new: int = 0
    duplicates: int = 0
    quarantined: int = 0
    skipped: int = 0
    error: str | None = None
    next_allowed_at: datetime | None = None

    @property
    def label(self) -> str:
        return f"{self.platform}:{self.handle}"


def fetch_with_retries(
    connector: Connector,
    source: SourceRef,
    position: Position | None,
    *,
    policy: RetryPolicy,
    sleeper: Sleeper,
    clock: Clock,
) -> Page:
    """One page, retrying transient errors with backoff and waiting out short rate limits."""
    failures = 0
    rate_waits = 0
    while True:
        try:
            return connector.fetch_page(source, position)
        except RateLimited as exc:
            now = clock()
            reset_at = exc.reset_at or now + timedelta(seconds=policy.default_rate_limit_wait)
            wait = max(0.0, (reset_at - now).total_seconds())
            if wait > policy.max_rate_limit_wait or rate_waits >= 2:
                raise Deferred(
                    f"rate limited until {reset_at:%Y-%m-%d %H:%M} UTC; skipped until then",
                    reset_at,
                ) from None
            rate_waits += 1
            log.info("%s:%s rate limited, waiting %.0f s", source.platform, source.handle, wait)
            sleeper(wait + 1.0)
        except TransientError as exc:
            failures += 1
            if failures >= policy.attempts:
                raise TransientError(f"{exc} (gave up after {failures} tries)") from None
            sleeper(min(policy.max_delay, policy.base_delay * 2 ** (failures - 1)))


def _position_key(position: Position | None) -> str:
    return json.dumps(position, sort_keys=True, default=str)


def iter_pages(
    connector: Connector,
    source: SourceRef,
    position: Position | None,
    *,
    policy: RetryPolicy = RetryPolicy(),
    sleeper: Sleeper = time.sleep,
    clock: Clock = utcnow,
) -> Iterator[Page]:
    """The raw pages of a source from its saved position, until the pass ends or a page cap.

    A page whose next position was already seen in this run ends paging (the platform sent
    the same cursor twice); a page without a next position ends it too.
    """
    seen = {_position_key(position)} if position is not None else set()
    for _ in range(policy.max_pages):
        page = fetch_with_retries(
            connector, source, position, policy=policy, sleeper=sleeper, clock=clock
        )
        if page.next_position is not None and _position_key(page.next_position) in seen:
            log.warning("%s:%s repeated its cursor; paging ends", source.platform, source.handle)
            page.next_position = None
        yield page
        if page.next_position is None:
            return
        seen.add(_position_key(page.next_position))
        position = page.next_position


def store_page(
    engine: Engine, connector: Connector, source: SourceRef, page: Page, *, fetched_at: datetime
) -> tuple[int, int, int]:
    """Store a page's posts, quarantine what can't be read, advance the cursor: one transaction.

    Returns (new, duplicates, quarantined).
    """
    posts = []
    quarantine = []
    for item in page.items:
        try:
            posts.append(check_storable(connector.normalize(item)))
        except (NormalizeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            quarantine.append(
                {
                    "source_id": source.id,
                    "origin": f"{source.platform}:{source.handle} {page.request}"[:500],
                    "error": f"{type(exc).__name__}: {exc}",
                    "raw": dumps(item),
                }
            )
    rows = post_rows(posts, fetched_at=fetched_at, source_id=source.id, source_kind=source.kind)
    values: dict[str, Any] = {
        "resume_cursor": None if page.next_position is None else _position_key(page.next_position),
        "last_attempt_at": fetched_at,
    }
    if page.next_position is None and page.high_water_mark is not None:
        values["high_water_mark"] = page.high_water_mark
    if page.etag is not None:
        values["etag"] = page.etag
    if page.last_modified is not None:
        values["last_modified"] = page.last_modified
    with session_scope(engine) as session:
        conn = session.connection()
        counts = insert_posts(conn, rows)
        insert_quarantine(conn, quarantine)
        values["posts_collected"] = SyncState.posts_collected + counts.new
        conn.execute(update(SyncState).where(SyncState.source_id == source.id).values(**values))  # type: ignore[arg-type]
    return counts.new, counts.duplicate, len(quarantine)


def _load(engine: Engine, source_id: int) -> tuple[SourceRef, Position | None, datetime | None]:
    with session_scope(engine) as session:
        source = session.get(Source, source_id)
        if source is None:
            raise LookupError(f"no source with id {source_id}; see `campaigns sources list`")
        state = session.get(SyncState, source_id)
        if state is None:
            state = SyncState(source_id=source_id)
            session.add(state)
            session.flush()
        ref = SourceRef(
            id=source_id,
            platform=source.platform,
            handle=source.handle,
            kind=source.kind,
            options=dict(source.options or {}),
            high_water_mark=state.high_water_mark,
            etag=state.etag,
            last_modified=state.last_modified,
        )
        position = json.loads(state.resume_cursor) if state.resume_cursor else None
        return ref, position, state.backoff_until


def _record(engine: Engine, source_id: int, **values: Any) -> None:
    with session_scope(engine) as session:
        session.connection().execute(
            update(SyncState).where(SyncState.source_id == source_id).values(**values)  # type: ignore[arg-type]
        )


def _record_failure(
    engine: Engine, result: SourceResult, now: datetime, backoff_until: datetime | None = None
) -> None:
    _record(
        engine,
        result.source_id,
        last_error=result.error,
        last_attempt_at=now,
        backoff_until=backoff_until,
        consecutive_failures=SyncState.consecutive_failures + 1,
    )


def pull_source(
    engine: Engine,
    source_id: int,
    connector: Connector,
    *,
    policy: RetryPolicy = RetryPolicy(),
    sleeper: Sleeper = time.sleep,
    clock: Clock = utcnow,
    on_page: Callable[[SourceResult], None] | None = None,
) -> SourceResult:
    """Pull one source from its saved position; never raises for the source's own failures."""
    source, position, backoff_until = _load(engine, source_id)
    result = SourceResult(source_id, source.platform, source.handle)
    now = clock()
    if backoff_until is not None and backoff_until > now:
        result.status = "waiting"
        result.next_allowed_at = backoff_until
        result.error = f"rate limited: next request allowed at {backoff_until:%Y-%m-%d %H:%M} UTC"
        return result
    try:
        for page in iter_pages(
            connector, source, position, policy=policy, sleeper=sleeper, clock=clock
        ):
            new, duplicates, quarantined = store_page(
                engine, connector, source, page, fetched_at=clock()
            )
            result.pages += 1
            result.new += new
            result.duplicates += duplicates
            result.quarantined += quarantined
            result.skipped += page.skipped
            if on_page is not None:
                on_page(result)
    except Deferred as exc:
        result.status, result.error, result.next_allowed_at = "rate_limited", str(exc), exc.reset_at
        _record_failure(engine, result, clock(), backoff_until=exc.reset_at)
        return result
    except MalformedPayload as exc:
        result.status, result.error = "failed", f"unreadable response: {exc}"
        with session_scope(engine) as session:
            insert_quarantine(
                session.connection(),
                [
                    {
                        "source_id": source.id,
                        "origin": result.label,
                        "error": str(exc),
                        "raw": exc.raw,
                    }
                ],
            )
        result.quarantined += 1
        _record_failure(engine, result, clock())
        return result
    except (AccessDenied, NotConfigured, TransientError, ConnectorError) as exc:
        result.status, result.error = "failed", str(exc)
        _record_failure(engine, result, clock())
        return result
    except Exception as exc:  # a bug or an unforeseen payload must not stop the other sources
        log.exception("unexpected error pulling %s", result.label)
        result.status, result.error = "failed", f"unexpected error: {type(exc).__name__}: {exc}"
        _record_failure(engine, result, clock())
        return result
    _record(
        engine,
        source_id,
        last_success_at=clock(),
        last_error=None,
        backoff_until=None,
        consecutive_failures=0,
    )
    return result


def sources_to_pull(engine: Engine, source_ids: Iterable[int] | None = None) -> list[int]:
    """Ids of the sources a pull covers: the named ones, else every active pullable source."""
    table = Source.__table__  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        query = select(table.c.id).where(table.c.platform.in_(PULLABLE_PLATFORMS))
        if source_ids is not None:
            wanted = list(source_ids)
            query = query.where(table.c.id.in_(wanted))
            found = {int(i) for i in session.execute(query).scalars()}
            missing = [i for i in wanted if i not in found]
            if missing:
                raise LookupError(
                    f"no pullable source with id {', '.join(map(str, missing))}; "
                    "see `campaigns sources list`"
                )
            return wanted
        query = query.where(table.c.active.is_(True)).order_by(table.c.id)
        return [int(i) for i in session.execute(query).scalars()]


@contextmanager
def claim_source(engine: Engine, source_id: int, *, run_started: datetime) -> Iterator[bool]:
    """Hold a source for this worker: False when another worker holds it or pulled it already.

    On PostgreSQL the source row is locked ``FOR NO KEY UPDATE SKIP LOCKED`` for the whole
    pull, so concurrent ``campaigns pull`` workers share the sources without waiting; the
    lock does not block the pages' own inserts (they take only a key-share lock on the
    source). A source attempted since this run started was pulled by another worker.
    """
    table = Source.__table__  # type: ignore[attr-defined]
    state = SyncState.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            locked = conn.execute(
                select(table.c.id)
                .where(table.c.id == source_id)
                .with_for_update(skip_locked=True, key_share=True)
            ).first()
            if locked is None:
                yield False
                return
        last_attempt = conn.execute(
            select(state.c.last_attempt_at).where(state.c.source_id == source_id)
        ).scalar()
        yield last_attempt is None or last_attempt <= run_started


def pull_all(
    engine: Engine,
    connectors: Mapping[str, Connector],
    *,
    source_ids: Iterable[int] | None = None,
    policy: RetryPolicy = RetryPolicy(),
    sleeper: Sleeper = time.sleep,
    clock: Clock = utcnow,
    on_source: Callable[[int], None] | None = None,
    on_page: Callable[[SourceResult], None] | None = None,
) -> list[SourceResult]:
    """Pull every chosen source in turn; one source's failure never stops the others."""
    results = []
    run_started = clock()
    for source_id in sources_to_pull(engine, source_ids):
        if on_source is not None:
            on_source(source_id)
        source, _, _ = _load(engine, source_id)
        connector = connectors.get(source.platform)
        if connector is None:
            result = SourceResult(source_id, source.platform, source.handle, status="failed")
            result.error = f"no connector for platform {source.platform!r}"
            results.append(result)
            continue
        with claim_source(engine, source_id, run_started=run_started) as claimed:
            if not claimed:
                result = SourceResult(source_id, source.platform, source.handle, status="skipped")
                result.error = "pulled by another worker at the same time"
                results.append(result)
                continue
            results.append(
                pull_source(
                    engine,
                    source_id,
                    connector,
                    policy=policy,
                    sleeper=sleeper,
                    clock=clock,
                    on_page=on_page,
                )
            )
    return results


def exit_code(results: Iterable[SourceResult]) -> int:
    """0 when no source failed, 1 when some failed and some succeeded, 2 when none succeeded."""
    statuses = [r.status for r in results]
    failed = sum(s in ("failed", "rate_limited") for s in statuses)
    succeeded = sum(s == "ok" for s in statuses)
    if failed == 0:
        return 0
    return 1 if succeeded else 2
