"""Sources to follow: add, list and remove them, with each platform's handle checked.

Handles are stored in one canonical form per platform (X: ``name`` without @; Bluesky: the
handle or DID; Mastodon: ``user@server``; feeds: the http(s) URL), so the same account cannot be
added twice under two spellings. Removing a source keeps the posts it collected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns import codebook as cb
from campaigns.registry import ensure_company, find_company
from campaigns.text import slugify
from db.engine import session_scope
from db.models import Company, Organization, Source, SyncState

_X_HANDLE = re.compile(r"^[A-Za-z0-9_]{1,15}$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")
_DID = re.compile(r"^did:(plc|web):[A-Za-z0-9._:%-]+$")
_MASTODON_USER = re.compile(r"^[A-Za-z0-9_]{1,64}$")


class SourceError(ValueError):
    """A source that cannot be added or found; the message says why and what to do."""


def _x_handle(value: str) -> str:
    handle = value.strip()
    for prefix in (
        "https://x.com/",
        "https://twitter.com/",
        "http://x.com/",
        "http://twitter.com/",
    ):
        if handle.lower().startswith(prefix):
            handle = handle[len(prefix) :].split("/")[0].split("?")[0]
    handle = handle.lstrip("@")
    if not _X_HANDLE.match(handle):
        raise SourceError(
            f"{value!r} is not an X handle: use 1-15 letters, digits or _ (e.g. AmazonEmployees)"
        )
    return handle


def _bluesky_handle(value: str) -> str:
    handle = value.strip()
    if handle.lower().startswith(("https://bsky.app/profile/", "http://bsky.app/profile/")):
        handle = handle.split("/profile/", 1)[1].split("/")[0]
    handle = handle.lstrip("@")
    if _DID.match(handle):
        return handle
    handle = handle.lower()
    if not _DOMAIN.match(handle):
        raise SourceError(
            f"{value!r} is not a Bluesky handle: use a domain-like handle such as "
            "alphabetworkers.bsky.social, or a did:plc:... identifier"
        )
    return handle


def _mastodon_handle(value: str) -> str:
    handle = value.strip()
    if handle.lower().startswith(("https://", "http://")):
        parts = urlsplit(handle)
        path = parts.path.strip("/").split("/")
        if parts.hostname and path and path[0].startswith("@"):
            handle = f"{path[0][1:]}@{parts.hostname}"
    user, _, server = handle.lstrip("@").partition("@")
    if not _MASTODON_USER.match(user) or not _DOMAIN.match(server.lower()):
        raise SourceError(
            f"{value!r} is not a Mastodon account: use user@server "
            "(e.g. techworkers@mastodon.social) or https://server/@user"
        )
    return f"{user}@{server.lower()}"


def _feed_url(value: str) -> str:
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError(
            f"{value!r} is not a feed URL: feeds must be http:// or https:// addresses "
            "(e.g. https://example.org/feed.xml)"
        )
    return url


def check_address(platform: str, handle: str, *, allow_private: bool = False) -> None:
    """Refuse feeds and Mastodon servers on this machine or a private network (unless allowed).

    Only what the URL shows is checked here (no DNS look-up); every fetch checks the resolved
    addresses again (:mod:`connectors.netguard`).
    """
    from connectors.netguard import UnsafeURL, check_url

    if platform == "feed":
        url = handle
    elif platform == "mastodon":
        url = f"https://{handle.partition('@')[2]}/"
    else:
        return
    try:
        check_url(url, allow_private=allow_private, resolve=False)
    except UnsafeURL as exc:
        raise SourceError(f"refused: {exc}") from None


CANONICAL = {
    "x": _x_handle,
    "bluesky": _bluesky_handle,
    "mastodon": _mastodon_handle,
    "feed": _feed_url,
}


def canonical_handle(platform: str, value: str) -> str:
    """The stored form of a handle or URL on ``platform``; SourceError when it is not valid."""
    if platform not in CANONICAL:
        raise SourceError(
            f"unknown platform {platform!r}: use one of {', '.join(CANONICAL)} "
            "(posts from files come in with `campaigns import posts`)"
        )
    return CANONICAL[platform](value)


def _owner(session: Session, name: str, kind: str) -> tuple[int | None, int | None]:
    """(organization id, company id) owning a source: a company for company sources."""
    if kind == "company":
        company = ensure_company(session, name)
        return None, company.id
    slug = slugify(name)
    organization = session.exec(select(Organization).where(Organization.slug == slug)).first()
    if organization is None:
        organization = Organization(slug=slug, name=name.strip())
        session.add(organization)
        session.flush()
    return organization.id, None


def add_source_in(
    session: Session,
    platform: str,
    handle: str,
    *,
    kind: str,
    owner: str | None = None,
    active: bool = True,
    options: dict[str, Any] | None = None,
    employer: str | None = None,
) -> Source:
    """Add a source inside the caller's transaction (see :func:`add_source`)."""
    if kind not in cb.SOURCE_KIND:
        raise SourceError(f"unknown kind {kind!r}: use one of {', '.join(cb.SOURCE_KIND.values)}")
    stored = canonical_handle(platform, handle)
    check_address(platform, stored, allow_private=bool((options or {}).get("allow_private")))
    existing = session.exec(
        select(Source).where(Source.platform == platform, Source.handle == stored)
    ).first()
    if existing is not None:
        raise SourceError(
            f"{platform} source {stored!r} is already there (id {existing.id}); "
            "see `campaigns sources list`"
        )
    organization_id = company_id = None
    if owner and owner.strip():
        organization_id, company_id = _owner(session, owner, kind)
    if employer and employer.strip():
        _set_employer(session, organization_id, employer, kind)
    source = Source(
        platform=platform,
        handle=stored,
        kind=kind,
        owner_organization_id=organization_id,
        owner_company_id=company_id,
        active=active,
        options=dict(options or {}),
    )
    session.add(source)
    session.flush()
    assert source.id is not None
    session.add(SyncState(source_id=source.id))
    session.flush()
    return source


def _set_employer(session: Session, organization_id: int | None, employer: str, kind: str) -> None:
    """Record the company a worker group's members work at (the engine's company for its posts
    that name none)."""
    if kind != "worker_group" or organization_id is None:
        raise SourceError("--employer is for a worker group's source: give its --owner too")
    company = find_company(session, employer)
    if company is None:
        raise SourceError(
            f"no company called {employer!r}: add it with `campaigns companies add` first"
        )
    organization = session.get(Organization, organization_id)
    assert organization is not None
    organization.employer_id = company.id
    session.add(organization)


def add_source(
    engine: Engine,
    platform: str,
    handle: str,
    *,
    kind: str,
    owner: str | None = None,
    active: bool = True,
    options: dict[str, Any] | None = None,
    employer: str | None = None,
) -> Source:
    """Add a source to follow; refuses invalid handles, non-http(s) feeds and duplicates."""
    with session_scope(engine) as session:
        return add_source_in(
            session,
            platform,
            handle,
            kind=kind,
            owner=owner,
            active=active,
            options=options,
            employer=employer,
        )


@dataclass
class SourceStatus:
    """A source with its owner and where its collection stands (the Sources page's row)."""

    id: int
    platform: str
    handle: str
    kind: str
    owner: str | None
    active: bool
    options: dict[str, Any]
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str | None
    posts_collected: int
    next_allowed_at: datetime | None
    consecutive_failures: int


def list_sources(engine: Engine) -> list[SourceStatus]:
    """Every source with its sync state, in the order they were added."""
    with Session(engine) as session:
        companies = {c.id: c.name for c in session.exec(select(Company)).all()}
        organizations = {
            o.id: _group_name(o, companies) for o in session.exec(select(Organization))
        }
        states = {s.source_id: s for s in session.exec(select(SyncState)).all()}
        rows = []
        for source in session.exec(select(Source).order_by(Source.id)).all():  # type: ignore[arg-type]
            assert source.id is not None
            state = states.get(source.id) or SyncState(source_id=source.id)
            owner = organizations.get(source.owner_organization_id) or companies.get(
                source.owner_company_id
            )
            rows.append(
                SourceStatus(
                    id=source.id,
                    platform=source.platform,
                    handle=source.handle,
                    kind=source.kind,
                    owner=owner,
                    active=source.active,
                    options=dict(source.options or {}),
                    last_success_at=state.last_success_at,
                    last_attempt_at=state.last_attempt_at,
                    last_error=state.last_error,
                    posts_collected=state.posts_collected or 0,
                    next_allowed_at=state.backoff_until,
                    consecutive_failures=state.consecutive_failures or 0,
                )
            )
        return rows


def _group_name(group: Organization, companies: dict[int | None, str]) -> str:
    """A worker group as a source's owner, with the employer its posts are read as about."""
    employer = companies.get(group.employer_id) if group.employer_id else None
    return f"{group.name} (at {employer})" if employer else group.name


def find_source_id(engine: Engine, ref: str) -> int:
    """A source's id from its id or its handle/URL (as listed)."""
    with Session(engine) as session:
        if ref.strip().isdigit():
            source = session.get(Source, int(ref))
        else:
            source = session.exec(select(Source).where(Source.handle == ref.strip())).first()
            if source is None:
                for platform, canon in CANONICAL.items():
                    try:
                        stored = canon(ref)
                    except SourceError:
                        continue
                    source = session.exec(
                        select(Source).where(Source.platform == platform, Source.handle == stored)
                    ).first()
                    if source is not None:
                        break
        if source is None or source.id is None:
            raise SourceError(f"no source {ref!r}; see `campaigns sources list` for ids")
        return source.id


def remove_source(engine: Engine, ref: str) -> Source:
    """Remove a source (by id or handle) and its sync state; its posts stay in the store."""
    source_id = find_source_id(engine, ref)
    with session_scope(engine) as session:
        source = session.get(Source, source_id)
        assert source is not None
        session.execute(delete(SyncState).where(SyncState.source_id == source_id))  # type: ignore[arg-type]
        session.delete(source)
        return source


def set_active(engine: Engine, ref: str, active: bool) -> None:
    """Turn a source on or off for `campaigns pull`."""
    source_id = find_source_id(engine, ref)
    with session_scope(engine) as session:
        source = session.get(Source, source_id)
        assert source is not None
        source.active = active


def set_employer(engine: Engine, ref: str, employer: str | None) -> tuple[str, str | None, int]:
    """Give the worker group that owns a source (by id or handle) the company its members work
    at, or none with ``employer=None``. The employer is the group's, so it holds for every source
    the group owns. Returns (group, company or None, how many sources the group owns).

    Posts already read keep their reading until ``campaigns link --again``.
    """
    source_id = find_source_id(engine, ref)
    with session_scope(engine) as session:
        source = session.get(Source, source_id)
        assert source is not None
        if source.kind != "worker_group" or source.owner_organization_id is None:
            raise SourceError(
                f"source {ref!r} is not a worker group's source with an owner: an employer is "
                "a worker group's; remove the source and add it again with "
                "`--owner NAME --employer COMPANY`"
            )
        organization = session.get(Organization, source.owner_organization_id)
        assert organization is not None
        company_name = None
        if employer is None:
            organization.employer_id = None
            session.add(organization)
        else:
            _set_employer(session, organization.id, employer, source.kind)
            company = session.get(Company, organization.employer_id)
            company_name = company.name if company else None
        owned = session.exec(
            select(Source).where(Source.owner_organization_id == organization.id)
        ).all()
        return organization.name, company_name, len(owned)


DEMO_SOURCES: tuple[tuple[str, str, str, str | None, dict[str, Any]], ...] = (
    # (platform, handle, kind, owner, options): real public accounts and feeds
    ("x", "AMZNforClimate", "worker_group", "Amazon Employees for Climate Justice", {}),
    ("x", "AlphabetWorkers", "worker_group", "Alphabet Workers Union", {}),
    ("bluesky", "alphabetworkers.bsky.social", "worker_group", "Alphabet Workers Union", {}),
    (
        "feed",
        "https://amazonemployees4climatejustice.medium.com/feed",
        "worker_group",
        "Amazon Employees for Climate Justice",
        {},
    ),
    ("feed", "https://www.theverge.com/rss/index.xml", "news", None, {}),
    (
        "feed",
        "https://www.geekwire.com/feed/",
        "news",
        None,
        {"fetch_articles": True},
    ),
)


def add_demo_sources(engine: Engine) -> int:
    """Add a few real sources, inactive (turn them on with `campaigns sources activate`)."""
    added = 0
    with session_scope(engine) as session:
        for platform, handle, kind, owner, options in DEMO_SOURCES:
            exists = session.exec(
                select(Source).where(Source.platform == platform, Source.handle == handle)
            ).first()
            if exists is None:
                add_source_in(
                    session, platform, handle, kind=kind, owner=owner, active=False, options=options
                )
                added += 1
    return added


SOURCE_TABLE_COLUMNS = (
    "id", "platform", "handle", "kind", "owner", "active", "posts collected", "last success",
    "last error", "next allowed", "failures in a row",
)  # fmt: skip


def source_table(rows: list[SourceStatus], now: datetime) -> list[dict[str, Any]]:
    """The Sources page's rows: a past backoff shows as 'now'; times in UTC minutes."""

    def minute(value: datetime | None) -> str:
        return f"{value:%Y-%m-%d %H:%M} UTC" if value else ""

    return [
        {
            "id": row.id,
            "platform": row.platform,
            "handle": row.handle,
            "kind": row.kind,
            "owner": row.owner or "",
            "active": row.active,
            "posts collected": row.posts_collected,
            "last success": minute(row.last_success_at) or "never",
            "last error": row.last_error or "",
            "next allowed": minute(row.next_allowed_at)
            if row.next_allowed_at and row.next_allowed_at > now
            else "now",
            "failures in a row": row.consecutive_failures,
        }
        for row in rows
    ]
