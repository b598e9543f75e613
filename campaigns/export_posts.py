"""Posts in the export bundle, with post authors who are people pseudonymised.

Authors are kept by name only when their handle is that of a source owned by a worker
organisation or a company, or when a post imported without a source is declared a group's, a
company's or a news outlet's; everyone else gets a keyed pseudonym (:mod:`campaigns.privacy`),
and their posts' ids and addresses, which lead back to them, are replaced or withheld, also
where such a post is cited as evidence (:mod:`campaigns.export_coded`). Posts are streamed
from a raw database cursor as tuples of finished cells; an author is looked up once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from campaigns.export_db import FewValues, RawReader, moment, text
from campaigns.privacy import ORGANISATION_POST_KINDS, AuthorPolicy
from db.models import Source

POSTS_PER_FETCH = 2_000
IDS_PER_QUERY = 500
AUTHORS_CACHED = 10_000


@dataclass(frozen=True)
class Rendered:
    """Records already written as CSV text (header excluded), and how many there are."""

    text: str
    rows: int


_POST_QUERY = (
    "SELECT platform, platform_post_id, source_id, author_handle, posted_at, url, text, lang, "
    "source_kind FROM post "
)


def post_records(
    session: Session, policy: AuthorPolicy, only_ids: set[int] | None = None
) -> Iterator[Rendered]:
    """posts.csv records in id order (all posts, or only ``only_ids``), a batch at a time.

    Each record is written as CSV text directly (cells neutralised and quoted by
    :func:`campaigns.export_db.text`); an author's name or pseudonym is decided once.
    """
    reader = RawReader(session)
    sources = {
        source_id: text(handle)
        for source_id, handle in session.execute(select(col(Source.id), col(Source.handle)))
    }
    few = FewValues()
    # (platform, handle, organisation, source) -> (record start, "source,author,",
    # ",lang-free end", person?); a person's post gets a pseudonymised id and no URL
    authors: dict[tuple[str, str | None, bool, Any], tuple[str, str, str, bool]] = {}

    def author(
        platform: str, handle: str | None, organisation: bool, source_id: Any
    ) -> tuple[str, str, str, bool]:
        name, author_type = policy.author(platform, handle, organisation)
        if len(authors) >= AUTHORS_CACHED:
            authors.clear()  # bounded memory on huge exports
        found = authors[(platform, handle, organisation, source_id)] = (
            few[platform] + ",",
            f",{sources.get(source_id, '')},{text(name)},",
            author_type or "",
            author_type == "pseudonym",
        )
        return found

    query = _POST_QUERY
    batches: Iterable[list[tuple[Any, ...]]]
    if only_ids is None:
        batches = reader.batches(query + "ORDER BY id", size=POSTS_PER_FETCH)
    else:
        ids = sorted(only_ids)
        batches = (
            reader.all(query + f"WHERE id IN ({', '.join('?' * len(part))}) ORDER BY id", part)
            for part in (ids[i : i + IDS_PER_QUERY] for i in range(0, len(ids), IDS_PER_QUERY))
        )
    for rows in batches:
        lines: list[str] = []
        append = lines.append
        for platform, post_id, source_id, handle, posted_at, url, body, lang, kind in rows:
            organisation = source_id is None and kind in ORGANISATION_POST_KINDS
            start, middle, author_type, personal = authors.get(
                (platform, handle, organisation, source_id)
            ) or author(platform, handle, organisation, source_id)
            if personal:
                post_id, url = policy.post_id(platform, post_id), None
            append(
                f"{start}{text(post_id)}{middle}{moment(posted_at)},{text(url)},{text(body)},"
                f"{few[lang]},{author_type},{few[kind]}\n"
            )
        yield Rendered("".join(lines), len(lines))
