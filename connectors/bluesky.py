"""Bluesky through atproto against the public AppView (no login): a handle's author feed.

The author feed runs newest first with an opaque cursor. A pass pages back until it reaches
posts indexed before the newest one of the previous pass. Pinned posts (``reasonPin``) are
stored but never move the mark (they are old posts shown on top); reposts of other people's
posts are left out unless the source's options say ``include_reposts``.
"""

from __future__ import annotations

from typing import Any

import httpx
from atproto import Client, models
from atproto_client import exceptions as at_exc
from atproto_client.request import Request, Response, _parse_response

from connectors.base import (
    DEFAULT_TIMEOUT,
    MalformedPayload,
    NormalizeError,
    Page,
    Position,
    PostIn,
    SourceRef,
    TransientError,
    dumps,
    parse_time,
    require,
)
from connectors.http import raise_for_status

PLATFORM = "bluesky"
PUBLIC_APPVIEW = "https://public.api.bsky.app/xrpc"
PAGE_SIZE = 50
REASON_REPOST = "app.bsky.feed.defs#reasonRepost"
REASON_PIN = "app.bsky.feed.defs#reasonPin"


class _RawKeepingRequest(Request):
    """atproto's request, but an unreadable JSON body becomes MalformedPayload with the body."""

    def get(self, *args: Any, **kwargs: Any) -> Response:
        response = self._send_request("GET", *args, **kwargs)
        try:
            return _parse_response(response)
        except ValueError as exc:
            raise MalformedPayload(
                f"Bluesky sent a response that is not JSON ({exc})", raw=response.text[:200_000]
            ) from None


def web_url(at_uri: str | None, handle: str | None = None) -> str | None:
    """The bsky.app address of a post from its at:// URI (the handle when known, else the DID)."""
    if not at_uri or not at_uri.startswith("at://"):
        return None
    parts = at_uri[len("at://") :].split("/")
    if len(parts) != 3 or parts[1] != "app.bsky.feed.post":
        return None
    return f"https://bsky.app/profile/{handle or parts[0]}/post/{parts[2]}"


def _quoted_uri(embed: Any) -> str | None:
    if not isinstance(embed, dict):
        return None
    kind = embed.get("$type", "")
    if kind == "app.bsky.embed.record":
        return (embed.get("record") or {}).get("uri")
    if kind == "app.bsky.embed.recordWithMedia":
        return ((embed.get("record") or {}).get("record") or {}).get("uri")
    return None


def normalize(raw: dict[str, Any]) -> PostIn:
    """One author-feed item (``FeedViewPost``) as a post."""
    if not isinstance(raw, dict):
        raise NormalizeError(f"feed item is not an object but {type(raw).__name__}")
    post = require(raw, "post", "Bluesky feed item")
    if not isinstance(post, dict):
        raise NormalizeError("Bluesky feed item's 'post' is not an object")
    uri = require(post, "uri", "Bluesky post")
    author = post.get("author") or {}
    record = post.get("record") or {}
    if not isinstance(record, dict):
        raise NormalizeError("Bluesky post's 'record' is not an object")
    handle = author.get("handle") if isinstance(author, dict) else None
    langs = record.get("langs") or []
    posted_at = parse_time(record.get("createdAt")) or parse_time(post.get("indexedAt"))
    reply = record.get("reply") or {}
    return PostIn(
        platform=PLATFORM,
        platform_post_id=str(uri),
        text=str(record.get("text") or ""),
        author_handle=handle,
        url=web_url(uri, handle),
        lang=langs[0] if langs else None,
        posted_at=posted_at,
        quote_of_url=web_url(_quoted_uri(record.get("embed"))),
        reply_to_url=web_url((reply.get("parent") or {}).get("uri")),
        raw=dumps(raw),
    )


def _sort_time(item: dict[str, Any]) -> str | None:
    """When an item entered the feed: the repost's time for reposts, else the post's."""
    reason = item.get("reason") or {}
    if isinstance(reason, dict) and reason.get("$type") == REASON_REPOST:
        return reason.get("indexedAt")
    post = item.get("post") or {}
    return post.get("indexedAt") if isinstance(post, dict) else None


class BlueskyConnector:
    """A handle's (or DID's) author feed from the public AppView."""

    platform = PLATFORM

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        base_url: str = PUBLIC_APPVIEW,
    ) -> None:
        self.client = Client(
            base_url=base_url, request=_RawKeepingRequest(timeout=timeout, transport=transport)
        )

    def normalize(self, raw: dict[str, Any]) -> PostIn:
        return normalize(raw)

    def _query(self, source: SourceRef, cursor: str | None) -> dict[str, Any]:
        params = models.AppBskyFeedGetAuthorFeed.Params(
            actor=source.handle, cursor=cursor, limit=PAGE_SIZE, include_pins=True
        )
        label = f"bluesky:{source.handle}"
        try:
            response = self.client.invoke_query(
                "app.bsky.feed.getAuthorFeed", params=params, output_encoding="application/json"
            )
        except at_exc.RequestErrorBase as exc:
            if exc.response is None:
                raise TransientError(f"{label}: network error or timeout ({exc!r})") from None
            status = exc.response.status_code
            if status == 400 and "not found" in str(exc).lower():
                status = 404  # the AppView answers an unknown actor with 400 InvalidRequest
            raise_for_status(status, exc.response.headers, label, str(exc))
            raise TransientError(f"{label}: {exc}") from None
        content = response.content
        if not isinstance(content, dict) or not isinstance(content.get("feed"), list):
            raise MalformedPayload(
                f"{label}: the author feed has no 'feed' list", raw=dumps(content)[:200_000]
            )
        return content

    def fetch_page(self, source: SourceRef, position: Position | None) -> Page:
        cursor = None if position is None else position.get("cursor")
        stop_at = source.high_water_mark if position is None else position.get("stop_at")
        newest = None if position is None else position.get("newest")
        content = self._query(source, cursor)
        items: list[dict[str, Any]] = []
        skipped = 0
        reached_old = False
        include_reposts = bool(source.options.get("include_reposts"))
        for item in content["feed"]:
            reason = item.get("reason") if isinstance(item, dict) else None
            kind = reason.get("$type") if isinstance(reason, dict) else None
            if kind != REASON_PIN and isinstance(item, dict):
                seen_at = _sort_time(item)
                if seen_at and (newest is None or seen_at > newest):
                    newest = seen_at
                if seen_at and stop_at and seen_at <= stop_at:
                    reached_old = True
            if kind == REASON_REPOST and not include_reposts:
                skipped += 1
                continue
            items.append(item)
        next_cursor = content.get("cursor")
        next_position: Position | None = None
        if next_cursor and content["feed"] and not reached_old:
            next_position = {"cursor": next_cursor, "stop_at": stop_at, "newest": newest}
        return Page(
            items,
            next_position,
            high_water_mark=newest or stop_at,
            request=f"getAuthorFeed actor={source.handle} cursor={cursor or '-'}",
            skipped=skipped,
        )
