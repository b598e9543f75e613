"""Small helpers for linking tests: posts from dicts or JSONL into the store or the engine."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from campaigns.linking.model import PostInput
from db.engine import session_scope
from db.models import Post

HERE = Path(__file__).resolve().parent
PARLER = HERE / "parler_posts.jsonl"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def dated_post(key: str, day: str, kind: str, text: str) -> PostInput:
    """An engine input posted on ``day`` (UTC) by a news desk or, for another ``kind``, by the
    account named by the key's first part ("ifm-demand" is ifm's)."""
    return PostInput(
        key=key,
        text=text,
        posted_at=datetime.fromisoformat(day).replace(tzinfo=UTC),
        source_kind=kind,
        author_handle="newsdesk" if kind == "news" else key.split("-")[0],
    )


def post_input(row: dict[str, Any], key: str | None = None) -> PostInput:
    """An engine input from a post dict in the import format."""
    return PostInput(
        key=key or f"{row['platform']}:{row['platform_post_id']}",
        text=row.get("text", ""),
        posted_at=datetime.fromisoformat(row["posted_at"]) if row.get("posted_at") else None,
        platform=row.get("platform", "x"),
        author_handle=row.get("author_handle"),
        url=row.get("url"),
        lang=row.get("lang"),
        source_kind=row.get("source_kind"),
        quote_of_url=row.get("quote_of"),
        reply_to_url=row.get("reply_to"),
    )


def insert_posts(engine: Engine, rows: list[dict[str, Any]]) -> list[int]:
    """Store posts (as `campaigns import posts` would) and return their ids."""
    ids = []
    with session_scope(engine) as session:
        for row in rows:
            post = Post(
                platform=row["platform"],
                platform_post_id=row["platform_post_id"],
                author_handle=row.get("author_handle"),
                url=row.get("url"),
                text=row.get("text", ""),
                lang=row.get("lang"),
                posted_at=datetime.fromisoformat(row["posted_at"]),
                source_kind=row.get("source_kind"),
                quote_of_url=row.get("quote_of"),
                reply_to_url=row.get("reply_to"),
                source_id=row.get("source_id"),
            )
            session.add(post)
            session.flush()
            assert post.id is not None
            ids.append(post.id)
    return ids


def post_row(
    pid: str, text: str, when: str, kind: str = "worker_group", **extra: Any
) -> dict[str, Any]:
    """A post dict in the import format with an X-shaped id and url."""
    handle = extra.pop("author_handle", "workers")
    return {
        "platform": "x",
        "platform_post_id": pid,
        "author_handle": handle,
        "posted_at": when,
        "text": text,
        "url": f"https://twitter.com/{handle}/status/{pid}",
        "lang": "en",
        "source_kind": kind,
        **extra,
    }


# A campaign with two demands and a reply that takes up the first: the engine links the reply to
# it and offers the second as the alternative a reviewer may pick instead.
TWO_DEMANDS = [
    post_row(
        "1800000000000000101",
        "Our first demand to Google: end forced arbitration in cases of harassment and "
        "discrimination, for every current and future employee.",
        "2018-11-01T15:00:00+00:00",
        author_handle="walkoutorganizers",
    ),
    post_row(
        "1800000000000000102",
        "Our second demand to Google: a commitment to end pay and opportunity inequity, with "
        "published pay equity data.",
        "2018-11-01T15:05:00+00:00",
        author_handle="walkoutorganizers",
    ),
    post_row(
        "1800000000000000103",
        "Google ends forced arbitration for sexual harassment claims. The company said "
        "arbitration will be optional for individual harassment and assault claims, a week "
        "after employees walked out.",
        "2018-11-08T18:00:00+00:00",
        kind="news",
        author_handle="technews",
    ),
]
