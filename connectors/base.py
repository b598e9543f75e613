"""The one small interface every platform connector implements, and what they share.

A connector turns a source and its saved position into raw pages (``fetch_page``, one request
each) and turns one raw item into a :class:`PostIn` (``normalize``, pure). Paging, retries,
rate limits and storage are the runner's job, so a connector stays a thin adapter over its
platform's client library.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any, Protocol

# Every request a connector makes carries this timeout (seconds): connect and read.
DEFAULT_TIMEOUT = 20.0
USER_AGENT = "campaign-tracker/0.1 (+https://github.com/; public posts of worker groups)"

Position = dict[str, Any]
"""A connector's own paging state (JSON-serialisable), saved as the source's resume cursor."""


@dataclass(frozen=True)
class PostIn:
    """One post as every platform delivers it after normalising: ready for the bulk insert."""

    platform: str
    platform_post_id: str
    text: str
    author_handle: str | None = None
    url: str | None = None
    lang: str | None = None
    posted_at: datetime | None = None
    posted_at_estimated: bool = False
    quote_of_url: str | None = None
    reply_to_url: str | None = None
    raw: str | None = None
    source_kind: str | None = None


@dataclass(frozen=True)
class SourceRef:
    """What a connector may know about a source: its identity, options and saved state."""

    id: int
    platform: str
    handle: str
    kind: str
    options: dict[str, Any] = field(default_factory=dict)
    high_water_mark: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Page:
    """One response: raw items to normalise and where the next request would start.

    ``next_position`` None means this pass over the source is complete; ``high_water_mark``
    is what to remember when the pass completes (the newest id or time seen), so the next pass
    only asks for newer posts.
    """

    items: list[dict[str, Any]]
    next_position: Position | None
    high_water_mark: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    request: str = ""
    skipped: int = 0  # items deliberately left out (reposts, entries older than the mark)


class Connector(Protocol):
    """A platform: one request per call, plus the pure normaliser for its items."""

    platform: str

    def fetch_page(self, source: SourceRef, position: Position | None) -> Page: ...

    def normalize(self, raw: dict[str, Any]) -> PostIn: ...


# --- Errors a connector raises; the runner decides what each means for the source. ---


class ConnectorError(Exception):
    """A request for a source failed; the message says what happened and what to do."""


class TransientError(ConnectorError):
    """A 5xx, a timeout or a network failure: worth retrying after a pause."""


class RateLimited(ConnectorError):
    """The platform said 429; ``reset_at`` is when it allows requests again (if it said)."""

    def __init__(self, message: str, reset_at: datetime | None = None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class AccessDenied(ConnectorError):
    """401, 403 or 404: the source is gone, private or needs credentials; retrying won't help."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NotConfigured(ConnectorError):
    """The connector lacks something only the user can give (a token in the environment)."""


class MalformedPayload(ConnectorError):
    """The response could not be read at all (bad JSON, bad XML); ``raw`` keeps what came."""

    def __init__(self, message: str, raw: str | None = None) -> None:
        super().__init__(message)
        self.raw = raw


_SURROGATE = re.compile("[\ud800-\udfff]")  # in a str, only ever half of a character


class NormalizeError(ValueError):
    """One raw item cannot become a post; it goes to quarantine with this message."""


STORED_TEXT_FIELDS = (
    "platform_post_id", "author_handle", "url", "lang", "quote_of_url", "reply_to_url", "text",
)  # fmt: skip


def check_storable(post: PostIn) -> PostIn:
    """The post when the store can hold it; NormalizeError for a NUL character, half of a
    character (an unpaired UTF-16 surrogate, which no UTF-8 store can hold) or a value longer
    than its column (any of them would fail the whole page)."""
    from db.models import Post

    columns = Post.__table__.c  # type: ignore[attr-defined]
    for name in STORED_TEXT_FIELDS:
        value = getattr(post, name)
        if not value:
            continue
        if "\x00" in value:
            raise NormalizeError(f"{name} contains a NUL character")
        half = _SURROGATE.search(value)
        if half is not None:
            raise NormalizeError(
                f"{name} holds half of a character (the unpaired surrogate "
                f"U+{ord(half.group()):04X} at position {half.start()}): the text was cut or "
                "encoded wrongly before it reached us; fix the character in the source"
            )
        limit = getattr(columns[name].type, "length", None)
        if limit and len(value) > limit:
            raise NormalizeError(f"{name} is longer than {limit} characters")
    return post


# --- Pure helpers the normalisers share. ---


def content_hash(text: str) -> str:
    """A hash of a post's text with whitespace collapsed, to spot the same words posted twice."""
    # Most texts are already collapsed: printable ASCII without doubled, leading or trailing
    # spaces is its own " ".join(text.split()), and these checks run at C speed (hot on ingest).
    collapsed = (
        text.isascii()
        and text.isprintable()
        and "  " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    )
    normal = text if collapsed else " ".join(text.split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 timestamp as an aware UTC datetime; None when missing or unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def dumps(raw: Any) -> str:
    """The raw payload as compact JSON text, kept with the post for re-normalising later (or in
    quarantine). Half of a character, which a UTF-8 store cannot hold, is kept as its JSON
    escape (\\ud800), so the payload is still stored as it came."""
    text = json.dumps(raw, ensure_ascii=False, separators=(",", ":"), default=str, sort_keys=True)
    if _SURROGATE.search(text) is None:
        return text
    return json.dumps(raw, ensure_ascii=True, separators=(",", ":"), default=str, sort_keys=True)


def require(raw: dict[str, Any], key: str, what: str) -> Any:
    value = raw.get(key)
    if value is None or value == "":
        raise NormalizeError(f"{what} has no {key!r}")
    return value


Sleeper = Callable[[float], None]
Clock = Callable[[], datetime]


# elements whose content is code or markup, never text a reader sees
CODE_ELEMENTS = ("script", "style", "noscript", "template")


class _TextExtractor(HTMLParser):
    BLOCKS = frozenset({"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr"})
    HIDDEN = frozenset(CODE_ELEMENTS)

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # how deep inside hidden elements the parser is

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        if tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str | None) -> str:
    """Plain text from an HTML fragment (Mastodon content, feed summaries): tags out, breaks kept."""
    if not html:
        return ""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = "".join(extractor.parts).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    return "\n\n".join(paragraphs)
