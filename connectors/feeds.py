"""RSS and Atom feeds through httpx + feedparser: conditional GET, paged feeds, article text.

The first request of a pass sends the saved ETag / Last-Modified, so an unchanged feed costs a
304 and nothing else. Paged feeds (RFC 5005 ``<link rel="next">``) are followed until a page
reaches entries older than the last pass. Entries without a stable id are keyed by a hash of
link and title. For news sources whose entries carry only a summary, ``fetch_articles`` in the
source's options fetches each article page and keeps its main text and date (trafilatura).
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from typing import Any

import httpx

from connectors import netguard
from connectors.base import (
    DEFAULT_TIMEOUT,
    AccessDenied,
    MalformedPayload,
    NormalizeError,
    Page,
    Position,
    PostIn,
    SourceRef,
    TransientError,
    dumps,
    html_to_text,
    parse_time,
)
from connectors.http import http_client, raise_for_status

PLATFORM = "feed"
MAX_ID_LENGTH = 400


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    return datetime(*parsed[:6], tzinfo=UTC).isoformat()


def entry_raw(entry: Any, *, feed_url: str, feed_lang: str | None) -> dict[str, Any]:
    """A feedparser entry as plain JSON: what we keep and what ``normalize`` reads."""
    content = [c.get("value", "") for c in entry.get("content", []) or [] if c.get("value")]
    language = next(
        (c.get("language") for c in entry.get("content", []) or [] if c.get("language")), None
    )
    return {
        "feed_url": feed_url,
        "id": entry.get("id") or None,
        "link": entry.get("link") or None,
        "title": entry.get("title") or None,
        "summary": entry.get("summary") or None,
        "content": content,
        "published": _iso(entry.get("published_parsed") or entry.get("updated_parsed")),
        "published_text": entry.get("published") or entry.get("updated"),
        "author": entry.get("author") or None,
        "lang": language or feed_lang,
    }


def entry_key(raw: dict[str, Any]) -> str:
    """The entry's id; for entries without one, a hash of link and title."""
    entry_id = (raw.get("id") or "").strip()
    if entry_id:
        key = entry_id if ":" in entry_id else f"{raw.get('feed_url')}#{entry_id}"
        if len(key) <= MAX_ID_LENGTH:
            return key
        return "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    link, title = (raw.get("link") or "").strip(), (raw.get("title") or "").strip()
    if not link and not title:
        raise NormalizeError("feed entry has no id, no link and no title")
    return "sha256:" + hashlib.sha256(f"{link}\n{title}".encode()).hexdigest()


def normalize(raw: dict[str, Any]) -> PostIn:
    """A feed entry (as kept by :func:`entry_raw`) as a post: title, then the body as text."""
    if not isinstance(raw, dict):
        raise NormalizeError(f"feed entry is not an object but {type(raw).__name__}")
    key = entry_key(raw)
    body = raw.get("article_text") or html_to_text(
        (raw.get("content") or [None])[0] or raw.get("summary")
    )
    title = html_to_text(raw.get("title"))
    text = "\n\n".join(part for part in (title, body) if part)
    posted_at = parse_time(raw.get("article_date")) or parse_time(raw.get("published"))
    link = raw.get("link")
    if link is not None and not isinstance(link, str):
        raise NormalizeError(f"feed entry link is not text: {link!r}")
    return PostIn(
        platform=PLATFORM,
        platform_post_id=key,
        text=text,
        author_handle=raw.get("author"),
        url=link,
        lang=(raw.get("lang") or None),
        posted_at=posted_at,
        posted_at_estimated=False,
        raw=dumps(raw),
    )


def _next_link(parsed: Any) -> str | None:
    for link in parsed.feed.get("links", []) or []:
        if link.get("rel") == "next" and link.get("href"):
            return str(link["href"])
    return None


class FeedConnector:
    """RSS / Atom over HTTP(S)."""

    platform = PLATFORM

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        resolver: netguard.Resolver | None = None,
    ) -> None:
        self.client = http_client(timeout, transport)
        self.resolver = resolver
        # A stand-in transport never connects to a real address: check only what URLs show.
        self.resolve = transport is None or resolver is not None
        self.limits = netguard.FetchLimits(timeout_seconds=timeout)

    def normalize(self, raw: dict[str, Any]) -> PostIn:
        return normalize(raw)

    def _get(
        self, url: str, headers: dict[str, str] | None = None, *, allow_private: bool = False
    ) -> netguard.Fetched:
        """GET through :mod:`connectors.netguard`: safe addresses, checked redirects, caps."""
        try:
            return netguard.fetch(
                self.client,
                url,
                headers=headers,
                allow_private=allow_private,
                resolver=self.resolver,
                resolve=self.resolve,
                limits=self.limits,
            )
        except netguard.UnsafeURL as exc:
            raise AccessDenied(f"refused to fetch: {exc}") from None
        except (netguard.UnresolvableHost, netguard.FetchTimedOut) as exc:
            raise TransientError(f"{url}: {exc}") from None
        except netguard.ResponseTooLarge as exc:
            raise MalformedPayload(str(exc)) from None
        except httpx.TimeoutException as exc:
            raise TransientError(f"{url}: timed out ({exc})") from None
        except httpx.TransportError as exc:
            raise TransientError(f"{url}: network error ({exc or type(exc).__name__})") from None

    def fetch_page(self, source: SourceRef, position: Position | None) -> Page:
        first = position is None
        url = source.handle if position is None else str(position["url"])
        stop_at = source.high_water_mark if position is None else position.get("stop_at")
        newest = None if position is None else position.get("newest")
        headers = {}
        if first and source.etag:
            headers["If-None-Match"] = source.etag
        if first and source.last_modified:
            headers["If-Modified-Since"] = source.last_modified
        allow_private = bool(source.options.get("allow_private"))
        response = self._get(url, headers, allow_private=allow_private)
        if response.status_code == 304:
            return Page([], None, request=f"GET {url} (304 not modified)")
        raise_for_status(response.status_code, response.headers, url, response.text[:200])
        try:
            parsed = netguard.parse_feed(
                response.content,
                origin=url,
                response_headers={
                    "content-location": url,
                    "content-type": response.headers.get("content-type", "application/xml"),
                },
                max_bytes=self.limits.max_bytes,
            )
        except (netguard.UnsafeXML, netguard.ResponseTooLarge) as exc:
            raise MalformedPayload(str(exc), raw=response.text[:2000]) from None
        if parsed.bozo and not parsed.entries and not parsed.feed.get("title"):
            raise MalformedPayload(
                f"{url} is not a readable RSS/Atom feed ({parsed.get('bozo_exception')}); "
                "check the URL in a browser",
                raw=response.text[:200_000],
            )
        feed_lang = parsed.feed.get("language") or None
        items = [entry_raw(e, feed_url=source.handle, feed_lang=feed_lang) for e in parsed.entries]
        reached_old = False
        for item in items:
            published = item.get("published")
            if published and (newest is None or published > newest):
                newest = published
            if published and stop_at and published <= stop_at:
                reached_old = True
        if source.options.get("fetch_articles"):
            for item in items:
                self._add_article(item, allow_private=allow_private)
        next_url = _next_link(parsed)
        next_position: Position | None = None
        if next_url and not reached_old and items:
            next_position = {"url": next_url, "stop_at": stop_at, "newest": newest}
        return Page(
            items,
            next_position,
            high_water_mark=newest or stop_at,
            etag=response.headers.get("etag") if first else None,
            last_modified=response.headers.get("last-modified") if first else None,
            request=f"GET {url}",
        )

    def _add_article(self, item: dict[str, Any], *, allow_private: bool = False) -> None:
        """Main text and date of the entry's article page, for entries with only a summary."""
        if item.get("content") or not item.get("link"):
            return
        import trafilatura

        try:
            response = self._get(str(item["link"]), allow_private=allow_private)
        except (TransientError, AccessDenied, MalformedPayload):
            return
        if response.status_code != 200:
            return
        html = response.text
        text = trafilatura.extract(html, include_comments=False)
        if text:
            item["article_text"] = text
        metadata = trafilatura.extract_metadata(html)
        if metadata is not None and metadata.date:
            item["article_date"] = metadata.date
