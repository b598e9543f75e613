"""Evidence and posts in the export bundle, with post authors who are people pseudonymised.

Authors are kept by name only when their handle is that of a source owned by a worker
organisation or a company; everyone else gets a keyed pseudonym (:mod:`campaigns.privacy`),
and their posts' ids and addresses, which lead back to them, are replaced or withheld, also
where such a post is cited as evidence. Posts are streamed from the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from campaigns.dataset import CodedData
from campaigns.privacy import AuthorPolicy
from db.models import Post, Source

POSTS_PER_FETCH = 2_000


def kept_evidence(data: CodedData) -> Iterator[tuple[str, str, Any]]:
    """(record_type, record_id, evidence) for the evidence of every exported record."""
    kept: dict[str, set[str]] = {
        "campaign": {c.id for c in data.campaigns},
        "demand": {d.id for ds in data.demands.values() for d in ds},
        "action": {a.id for acts in data.actions.values() for a in acts},
        "response": set(data.responses),
    }
    for (record_type, record_id), items in sorted(data.evidence.items()):
        if record_id in kept.get(record_type, set()):
            for item in items:
                yield record_type, record_id, item


def evidence_rows(
    data: CodedData, post_keys: dict[int, tuple[str, str]], personal: frozenset[int] = frozenset()
) -> Iterator[dict[str, Any]]:
    """Evidence of every exported record; ``post_keys`` maps post ids to exported post keys.

    Evidence that is a person's post (``personal``) keeps its link to the pseudonymised post
    but not its URL or publisher, which would name the person.
    """
    for record_type, record_id, item in kept_evidence(data):
        platform, platform_post_id = post_keys.get(item.post_id or -1, (None, None))
        withheld = item.post_id in personal
        yield {
            "evidence_id": item.id,
            "record_type": record_type,
            "record_id": record_id,
            "url": None if withheld else item.url,
            "publisher": None if withheld else item.publisher,
            "kind": item.kind,
            "quote": item.quote,
            "platform": platform,
            "platform_post_id": platform_post_id,
        }


def author_policy(session: Session, key_loader: Callable[[], bytes]) -> AuthorPolicy:
    """Who is kept by name: handles of sources owned by an organisation or company."""
    sources = session.execute(
        select(
            col(Source.platform),
            col(Source.handle),
            col(Source.kind),
            col(Source.owner_organization_id),
            col(Source.owner_company_id),
        )
    ).all()
    return AuthorPolicy.from_sources(
        key_loader,
        ((p, h, k, org is not None or company is not None) for p, h, k, org, company in sources),
    )


def cited_post_ids(data: CodedData) -> set[int]:
    """Ids of the posts cited as evidence by the exported records."""
    return {item.post_id for _, _, item in kept_evidence(data) if item.post_id}


def _exported_post_id(policy: AuthorPolicy, platform: str, post_id: str, author: str | None) -> str:
    if author is None or policy.is_public(platform, author):
        return post_id
    return policy.post_id(platform, post_id)


def post_keys_for(
    session: Session, data: CodedData, policy: AuthorPolicy
) -> tuple[dict[int, tuple[str, str]], set[int]]:
    """Exported (platform, post id) of every cited post, and the ids of posts by people."""
    ids = sorted(cited_post_ids(data))
    keys: dict[int, tuple[str, str]] = {}
    personal: set[int] = set()
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(
                col(Post.id),
                col(Post.platform),
                col(Post.platform_post_id),
                col(Post.author_handle),
            ).where(col(Post.id).in_(ids[start : start + 500]))
        ).all()
        for post_id, platform, platform_post_id, author in rows:
            exported = _exported_post_id(policy, platform, platform_post_id, author)
            keys[post_id] = (platform, exported)
            if exported != platform_post_id:
                personal.add(post_id)
    return keys, personal


def without_personal_evidence(data: CodedData, personal: set[int]) -> CodedData:
    """The data with evidence that is a person's post left out (its URL names the person)."""
    if not personal:
        return data
    evidence = {
        key: [item for item in items if item.post_id not in personal]
        for key, items in data.evidence.items()
    }
    return replace(data, evidence=evidence)


def post_rows(
    session: Session, policy: AuthorPolicy, only_ids: set[int] | None = None
) -> Iterator[dict[str, Any]]:
    """Posts, streamed from the database in id order (all, or only ``only_ids``)."""
    sources: dict[int | None, str] = dict(
        session.execute(select(col(Source.id), col(Source.handle))).all()
    )
    query = select(
        col(Post.id), col(Post.platform), col(Post.platform_post_id), col(Post.source_id),
        col(Post.author_handle), col(Post.posted_at), col(Post.url), col(Post.text),
        col(Post.lang), col(Post.source_kind),
    ).order_by(col(Post.id))  # fmt: skip
    if only_ids is not None:
        ids = sorted(only_ids)
        batches: Iterable[Any] = (
            session.execute(query.where(col(Post.id).in_(ids[i : i + 500]))).all()
            for i in range(0, len(ids), 500)
        )
        rows: Iterable[Any] = (row for batch in batches for row in batch)
    else:
        # yield_per streams: a server-side cursor on PostgreSQL, batched fetches on SQLite.
        rows = session.execute(query.execution_options(yield_per=POSTS_PER_FETCH))
    for _, platform, post_id, source_id, handle, posted_at, url, text, lang, kind in rows:
        author, author_type = policy.author(platform, handle)
        personal = author_type == "pseudonym"
        yield {
            "platform": platform,
            "platform_post_id": policy.post_id(platform, post_id) if personal else post_id,
            "source": sources.get(source_id) if source_id is not None else None,
            "author": author,
            "posted_at": posted_at,
            "url": None if personal else url,
            "text": text,
            "lang": lang,
            "author_type": author_type,
            "source_kind": kind,
        }
