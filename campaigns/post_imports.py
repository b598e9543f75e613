"""`campaigns import posts FILE.jsonl`: posts from a file, one JSON object a line.

Accepted lines: the project's own format (DESIGN.md: platform, platform_post_id,
author_handle, posted_at with UTC offset, text, url, lang?, source_kind?), twarc2 output (whole
API response pages with ``data`` and ``includes``) and flattened twarc2 tweets. The whole file
is checked first; any bad line refuses the file with every bad line named by number. Posts then
go through the same bulk path as `campaigns pull`, so re-importing changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from campaigns import codebook as cb
from campaigns.flatfile import FlatFileError
from connectors import x
from connectors.base import NormalizeError, PostIn, check_storable, dumps
from db.bulk import IngestCounts, ingest_posts

REQUIRED = ("platform", "platform_post_id", "posted_at", "text")
CHUNK = 2000


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class PostFileError(FlatFileError):
    """A posts file with bad lines; nothing was imported."""

    def __init__(self, source: str, errors: list[LineError]) -> None:
        self.line_errors = errors
        super().__init__(source, errors)  # type: ignore[arg-type]

    def render(self, limit: int = 50) -> str:
        lines = [f"{self.source}: {len(self.line_errors)} bad line(s), nothing was imported."]
        lines += [f"  {error}" for error in self.line_errors[:limit]]
        if len(self.line_errors) > limit:
            lines.append(f"  ... and {len(self.line_errors) - limit} more")
        lines.append("Fix or remove the lines named above and import the file again.")
        return "\n".join(lines)


@dataclass
class PostImportSummary:
    source: str
    lines: int = 0
    posts: int = 0
    new: int = 0
    duplicates: int = 0


def _design_post(obj: dict[str, Any]) -> PostIn:
    missing = [key for key in REQUIRED if obj.get(key) in (None, "")]
    if missing:
        raise NormalizeError(f"missing {', '.join(missing)}")
    platform = str(obj["platform"])
    if platform not in cb.PLATFORM:
        raise NormalizeError(f"platform {platform!r} is not one of {', '.join(cb.PLATFORM.values)}")
    source_kind = obj.get("source_kind")
    if source_kind is not None and source_kind not in cb.SOURCE_KIND:
        raise NormalizeError(
            f"source_kind {source_kind!r} is not one of {', '.join(cb.SOURCE_KIND.values)}"
        )
    if not isinstance(obj["text"], str):
        raise NormalizeError("text is not a string")
    posted_raw = str(obj["posted_at"])
    try:
        posted_at = datetime.fromisoformat(posted_raw.replace("Z", "+00:00"))
    except ValueError:
        raise NormalizeError(
            f"posted_at {posted_raw!r} is not an ISO 8601 time (e.g. 2021-01-09T18:30:00+00:00)"
        ) from None
    if posted_at.tzinfo is None:
        raise NormalizeError(f"posted_at {posted_raw!r} has no UTC offset (add +00:00 or Z)")
    for key in ("quote_of", "reply_to"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise NormalizeError(f"{key} is not a URL string")
    links = obj.get("links")
    if links is not None and not (
        isinstance(links, list) and all(isinstance(url, str) for url in links)
    ):
        raise NormalizeError("links is not a list of URL strings")
    return PostIn(
        platform=platform,
        platform_post_id=str(obj["platform_post_id"]),
        text=obj["text"],
        author_handle=obj.get("author_handle") or None,
        url=obj.get("url") or None,
        lang=obj.get("lang") or None,
        posted_at=posted_at,
        source_kind=source_kind,
        quote_of_url=obj.get("quote_of") or None,
        reply_to_url=obj.get("reply_to") or None,
        raw=dumps(obj),
    )


def posts_from_line(obj: Any) -> list[PostIn]:
    """The posts one parsed line carries (checked to fit the store), whichever format it is."""
    return [check_storable(post) for post in _posts_from_line(obj)]


def _posts_from_line(obj: Any) -> list[PostIn]:
    if not isinstance(obj, dict):
        raise NormalizeError(f"expected a JSON object, got {type(obj).__name__}")
    if "platform_post_id" in obj or "platform" in obj:
        return [_design_post(obj)]
    if isinstance(obj.get("data"), list):  # a twarc2 response page
        return [x.normalize(item) for item in x.items_from_response(obj)]
    if "id" in obj and "text" in obj:  # a flattened twarc2 tweet
        author = obj.get("author") if isinstance(obj.get("author"), dict) else None
        return [x.normalize({"tweet": obj, "author": author})]
    raise NormalizeError(
        "not a post: expected platform + platform_post_id (see README), a twarc2 page "
        "(data/includes) or a twarc2 tweet (id/text)"
    )


def read_posts(path: Path) -> Iterator[tuple[int, list[PostIn] | LineError]]:
    """(line number, posts or the line's error) for every non-blank line."""
    with path.open("rb") as handle:
        for number, raw_line in enumerate(handle, start=1):
            try:
                line = raw_line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield (
                    number,
                    LineError(
                        number,
                        f"not UTF-8 (byte {exc.start + 1} of the line); save the file as UTF-8",
                    ),
                )
                continue
            if not line.strip():
                continue
            if number == 1 and line.lstrip().startswith("["):
                yield (
                    number,
                    LineError(
                        number,
                        "this is a JSON array, not one object a line; for the Collective Action "
                        "in Tech archive use `campaigns import cat FILE`",
                    ),
                )
                return
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, LineError(number, f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            try:
                yield number, posts_from_line(obj)
            except (NormalizeError, ValueError, TypeError, AttributeError) as exc:
                yield number, LineError(number, str(exc))


def import_posts_file(engine: Engine, path: Path) -> PostImportSummary:
    """Check every line, then ingest all posts (idempotent; nothing on any bad line)."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    summary = PostImportSummary(source=str(path))
    errors: list[LineError] = []
    posts: list[PostIn] = []
    for _, result in read_posts(path):
        summary.lines += 1
        if isinstance(result, LineError):
            errors.append(result)
        else:
            posts.extend(result)
    if errors:
        raise PostFileError(str(path), errors)
    counts = IngestCounts()
    for start in range(0, len(posts), CHUNK):
        counts.add(ingest_posts(engine, posts[start : start + CHUNK]))
    summary.posts = len(posts)
    summary.new, summary.duplicates = counts.new, counts.duplicate
    return summary
