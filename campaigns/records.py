"""Create, update and link coded records, writing an audit entry for every change.

Every write path (CSV import, the engine's accepted suggestions, the dashboard's forms) goes
through these functions, so the audit log is complete whoever made the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from sqlmodel import Session, SQLModel, select

from campaigns.text import stable_id
from db.models import AuditEntry, Evidence, ResponseDemand
from db.types import utcnow

Change = Literal["created", "updated", "unchanged"]

NEWS_DOMAINS = (
    "nytimes.com",
    "washingtonpost.com",
    "theverge.com",
    "wired.com",
    "cnbc.com",
    "reuters.com",
    "bloomberg.com",
    "geekwire.com",
    "techcrunch.com",
    "theguardian.com",
    "bbc.co.uk",
    "bbc.com",
    "buzzfeednews.com",
    "vice.com",
    "theintercept.com",
    "npr.org",
    "cnn.com",
    "axios.com",
    "businessinsider.com",
    "engadget.com",
    "arstechnica.com",
    "protocol.com",
    "wsj.com",
    "ft.com",
    "apnews.com",
    "latimes.com",
    "fastcompany.com",
    "vox.com",
    "recode.net",
    "gizmodo.com",
    "kotaku.com",
    "polygon.com",
    "time.com",
    "theatlantic.com",
    "forbes.com",
)
WORKER_DOMAINS = ("twitter.com", "x.com", "bsky.app", "medium.com", "mastodon.social")


@dataclass
class WriteResult:
    record_id: str
    change: Change


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def audit(
    session: Session,
    *,
    actor: str,
    record_type: str,
    record_id: str,
    field: str,
    old: Any,
    new: Any,
) -> None:
    session.add(
        AuditEntry(
            actor=actor,
            at=utcnow(),
            record_type=record_type,
            record_id=record_id,
            field=field,
            old_value=_as_text(old),
            new_value=_as_text(new),
        )
    )


def upsert(
    session: Session,
    model: type[SQLModel],
    record_id: str,
    values: dict[str, Any],
    *,
    actor: str,
    record_type: str,
) -> WriteResult:
    """Create the record or change the fields that differ; audit each change."""
    record = session.get(model, record_id)
    if record is None:
        record = model(id=record_id, **values)
        session.add(record)
        audit(
            session,
            actor=actor,
            record_type=record_type,
            record_id=record_id,
            field="(created)",
            old=None,
            new=None,
        )
        for name, value in values.items():
            if value is not None:
                audit(
                    session,
                    actor=actor,
                    record_type=record_type,
                    record_id=record_id,
                    field=name,
                    old=None,
                    new=value,
                )
        return WriteResult(record_id, "created")
    changed = False
    for name, value in values.items():
        old = getattr(record, name)
        if old != value:
            setattr(record, name, value)
            audit(
                session,
                actor=actor,
                record_type=record_type,
                record_id=record_id,
                field=name,
                old=old,
                new=value,
            )
            changed = True
    return WriteResult(record_id, "updated" if changed else "unchanged")


def link_response(session: Session, response_id: str, demand_id: str, *, actor: str) -> bool:
    """Record that a response answers a demand; False when already linked."""
    if session.get(ResponseDemand, (response_id, demand_id)) is not None:
        return False
    session.add(ResponseDemand(response_id=response_id, demand_id=demand_id))
    audit(
        session,
        actor=actor,
        record_type="response",
        record_id=response_id,
        field="answers_demand",
        old=None,
        new=demand_id,
    )
    return True


def guess_evidence_kind(url: str) -> str:
    """A first guess at what a URL is, from its host; a person can correct it."""
    host = (urlsplit(url).hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    if any(host == d or host.endswith("." + d) for d in NEWS_DOMAINS):
        return "news"
    if any(host == d or host.endswith("." + d) for d in WORKER_DOMAINS):
        return "worker_post"
    if host.endswith("nlrb.gov") or host.endswith("sec.gov") or "court" in host:
        return "filing"
    return "other"


def publisher_of(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else (host or None)


def add_evidence(
    session: Session,
    *,
    record_type: str,
    record_id: str,
    url: str,
    actor: str,
    kind: str | None = None,
    publisher: str | None = None,
    quote: str | None = None,
    post_id: int | None = None,
) -> WriteResult:
    """Attach a URL as evidence to a record (idempotent per record and URL)."""
    existing = session.exec(
        select(Evidence).where(
            Evidence.record_type == record_type,
            Evidence.record_id == record_id,
            Evidence.url == url,
        )
    ).first()
    if existing is not None:
        if post_id is not None and existing.post_id is None:
            existing.post_id = post_id
            audit(
                session,
                actor=actor,
                record_type=record_type,
                record_id=record_id,
                field="evidence.post_id",
                old=None,
                new=post_id,
            )
            return WriteResult(existing.id, "updated")
        return WriteResult(existing.id, "unchanged")
    evidence_id = stable_id("ev", record_type, record_id, url)
    session.add(
        Evidence(
            id=evidence_id,
            record_type=record_type,
            record_id=record_id,
            url=url,
            publisher=publisher or publisher_of(url),
            kind=kind or guess_evidence_kind(url),
            quote=quote,
            post_id=post_id,
            retrieved_at=utcnow(),
        )
    )
    audit(
        session,
        actor=actor,
        record_type=record_type,
        record_id=record_id,
        field="evidence",
        old=None,
        new=url,
    )
    return WriteResult(evidence_id, "created")


def history(session: Session, record_type: str, record_id: str) -> list[AuditEntry]:
    """Every audit entry of one record, oldest first."""
    return list(
        session.exec(
            select(AuditEntry)
            .where(AuditEntry.record_type == record_type, AuditEntry.record_id == record_id)
            .order_by(AuditEntry.at, AuditEntry.id)  # type: ignore[arg-type]
        ).all()
    )
