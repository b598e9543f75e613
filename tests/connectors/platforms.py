"""One double per platform, in the documented shapes of each API.

- X API v2: GET /2/users/by/username/:username and GET /2/users/:id/tweets (``data``,
  ``includes.users``, ``meta.result_count/newest_id/oldest_id/next_token``); 429 carries
  ``x-rate-limit-reset`` (epoch seconds); errors are problem+json objects.
- Bluesky: app.bsky.feed.getAuthorFeed (``feed`` of FeedViewPost, optional ``cursor``; errors
  ``{"error", "message"}``; 429 carries ``ratelimit-reset``).
- Mastodon: GET /api/v1/accounts/lookup?acct= and /api/v1/accounts/:id/statuses (Status
  entities, newest first, ``Link`` header; 429 carries ``X-RateLimit-Reset`` as ISO 8601).
- RSS 2.0 with an Atom ``rel="next"`` link (RFC 5005 paging), ETag for conditional GET.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from connectors.base import Connector
from connectors.bluesky import BlueskyConnector
from connectors.feeds import FeedConnector
from connectors.mastodon import MastodonConnector
from connectors.x import TWITTER_EPOCH_MS, XConnector
from tests.connectors.doubles import (
    ABSENT,
    Double,
    HttpxReplay,
    Reply,
    cassette_replay,
    iso_z,
    time_of,
)


class XDouble(Double):
    platform = "x"
    handle = "AlphabetWorkers"
    user_id = "1346889436626259968"
    host = "api.twitter.com"

    @property
    def timeline(self) -> str:
        return f"/2/users/{self.user_id}/tweets"

    def key(self, n: int) -> str:
        ms = int(time_of(n).timestamp() * 1000)
        return str(((ms - TWITTER_EPOCH_MS) << 22) + n)

    def post(self, n: int) -> dict[str, Any]:
        return {
            "id": self.key(n),
            "text": f"Post {n}: Google must drop Project Nimbus #NoTechForApartheid",
            "created_at": iso_z(time_of(n)),
            "author_id": self.user_id,
            "lang": "en",
            "conversation_id": self.key(n),
            "edit_history_tweet_ids": [self.key(n)],
        }

    def bare_post(self, n: int) -> dict[str, Any]:
        return {"id": self.key(n), "text": f"Post {n}", "edit_history_tweet_ids": [self.key(n)]}

    def broken_post(self) -> dict[str, Any]:
        return {"text": "a tweet without an id", "edit_history_tweet_ids": []}

    def lookup(self) -> Reply:
        return Reply(
            f"/2/users/by/username/{self.handle}",
            body={
                "data": {
                    "id": self.user_id,
                    "name": "Alphabet Workers Union",
                    "username": self.handle,
                }
            },
            host=self.host,
        )

    def pass_replies(
        self, pages: list[list[Any]], previous_newest: int | None = None
    ) -> list[Reply]:
        replies = [self.lookup()]
        since = self.key(previous_newest) if previous_newest else ABSENT
        for i, tweets in enumerate(pages):
            meta: dict[str, Any] = {"result_count": len(tweets)}
            ids = [int(t["id"]) for t in tweets if "id" in t]
            if ids:
                meta.update(newest_id=str(max(ids)), oldest_id=str(min(ids)))
            if i + 1 < len(pages):
                meta["next_token"] = f"tok{i + 1}"
            body: dict[str, Any] = {"meta": meta}
            if tweets:
                body["data"] = tweets
                body["includes"] = {
                    "users": [{"id": self.user_id, "name": "AWU", "username": self.handle}]
                }
            replies.append(
                Reply(
                    self.timeline,
                    body=body,
                    expect={"since_id": since, "pagination_token": f"tok{i}" if i else ABSENT},
                    host=self.host,
                )
            )
        return replies

    def error(self, status: int, headers: dict[str, str] | None = None) -> list[Reply]:
        body = {
            "title": "Error",
            "detail": f"status {status}",
            "type": "about:blank",
            "status": status,
        }
        return [
            self.lookup(),
            Reply(self.timeline, status, body, dict(headers or {}), host=self.host),
        ]

    def rate_limit_headers(self, reset: datetime) -> dict[str, str]:
        return {"x-rate-limit-reset": str(int(reset.timestamp())), "x-rate-limit-remaining": "0"}

    def malformed(self) -> list[Reply]:
        return [self.lookup(), Reply(self.timeline, body='{"data": [{"id": "1"', host=self.host)]

    @contextmanager
    def serve(self, replies: list[Reply], tmp_path: Path) -> Iterator[Connector]:
        with cassette_replay(tmp_path / "x_cassette.json", replies):
            yield XConnector("test-bearer-token")


class BlueskyDouble(Double):
    platform = "bluesky"
    handle = "alphabetworkers.bsky.social"
    did = "did:plc:awu4example"
    path = "/xrpc/app.bsky.feed.getAuthorFeed"

    def key(self, n: int) -> str:
        return f"at://{self.did}/app.bsky.feed.post/3kpost{n:04d}"

    def post(self, n: int) -> dict[str, Any]:
        return {
            "post": {
                "uri": self.key(n),
                "cid": f"bafyreib{n:04d}",
                "author": {"did": self.did, "handle": self.handle, "displayName": "AWU-CWA"},
                "record": {
                    "$type": "app.bsky.feed.post",
                    "text": f"Post {n}: we stand with the fired workers",
                    "createdAt": iso_z(time_of(n)),
                    "langs": ["en"],
                },
                "replyCount": 0,
                "repostCount": 1,
                "likeCount": 3,
                "indexedAt": iso_z(time_of(n)),
                "labels": [],
            }
        }

    def bare_post(self, n: int) -> dict[str, Any]:
        item = self.post(n)
        del item["post"]["record"]["langs"]
        del item["post"]["author"]["displayName"]
        return item

    def broken_post(self) -> dict[str, Any]:
        return {"post": {"cid": "bafyreibroken", "record": {"text": "no uri"}}}

    def pass_replies(
        self, pages: list[list[Any]], previous_newest: int | None = None
    ) -> list[Reply]:
        replies = []
        for i, feed in enumerate(pages):
            last = i + 1 == len(pages)
            body: dict[str, Any] = {"feed": list(feed)}
            if last and previous_newest:
                # The feed goes on into posts already seen: the runner must stop there.
                body["feed"].append(self.post(previous_newest))
                body["cursor"] = "cur-older"
            elif not last:
                body["cursor"] = f"cur{i + 1}"
            replies.append(
                Reply(
                    self.path,
                    body=body,
                    expect={"actor": self.handle, "cursor": f"cur{i}" if i else ABSENT},
                )
            )
        return replies

    def error(self, status: int, headers: dict[str, str] | None = None) -> list[Reply]:
        body = {
            "error": "AuthMissing" if status == 401 else "InternalServerError",
            "message": f"status {status}",
        }
        return [Reply(self.path, status, body, dict(headers or {}))]

    def rate_limit_headers(self, reset: datetime) -> dict[str, str]:
        return {
            "ratelimit-limit": "3000",
            "ratelimit-remaining": "0",
            "ratelimit-reset": str(int(reset.timestamp())),
        }

    def malformed(self) -> list[Reply]:
        return [Reply(self.path, body='{"feed": [{"post": ')]

    @contextmanager
    def serve(self, replies: list[Reply], tmp_path: Path) -> Iterator[Connector]:
        replay = HttpxReplay(replies)
        yield BlueskyConnector(transport=replay.transport)
        assert not replay.replies, f"{len(replay.replies)} recorded responses were never asked for"


class MastodonDouble(Double):
    platform = "mastodon"
    handle = "techworkers@mastodon.social"
    account_id = "109348"
    host = "mastodon.social"
    newest_first = True

    @property
    def statuses(self) -> str:
        return f"/api/v1/accounts/{self.account_id}/statuses"

    def account(self) -> dict[str, Any]:
        return {
            "id": self.account_id,
            "username": "techworkers",
            "acct": "techworkers",
            "display_name": "Tech Workers Coalition",
            "locked": False,
            "bot": False,
            "created_at": "2022-11-01T00:00:00.000Z",
            "note": "<p>Tech workers organizing</p>",
            "url": "https://mastodon.social/@techworkers",
            "followers_count": 10,
            "following_count": 1,
            "statuses_count": 4,
            "emojis": [],
            "fields": [],
        }

    def key(self, n: int) -> str:
        return f"https://mastodon.social/users/techworkers/statuses/{self.status_id(n)}"

    def status_id(self, n: int) -> str:
        return str(111000000000000000 + n)

    def post(self, n: int) -> dict[str, Any]:
        sid = self.status_id(n)
        return {
            "id": sid,
            "created_at": iso_z(time_of(n)),
            "in_reply_to_id": None,
            "in_reply_to_account_id": None,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": "public",
            "language": "en",
            "uri": self.key(n),
            "url": f"https://mastodon.social/@techworkers/{sid}",
            "replies_count": 0,
            "reblogs_count": 2,
            "favourites_count": 5,
            "content": f'<p>Post {n}: solidarity with the <a href="https://x">#strike</a> &amp; walkout</p>',
            "reblog": None,
            "account": self.account(),
            "media_attachments": [],
            "mentions": [],
            "tags": [],
            "emojis": [],
            "card": None,
            "poll": None,
        }

    def bare_post(self, n: int) -> dict[str, Any]:
        status = self.post(n)
        for optional in ("language", "url", "spoiler_text", "card", "poll"):
            status.pop(optional)
        return status

    def broken_post(self) -> dict[str, Any]:
        status = self.post(99)
        for name in ("id", "uri", "url"):
            status.pop(name)
        return status

    def two_pages(self) -> list[list[int]]:
        return [[1, 2], [3, 4]]

    def lookup(self) -> Reply:
        return Reply(
            "/api/v1/accounts/lookup",
            body=self.account(),
            expect={"acct": "techworkers"},
            host=self.host,
        )

    def pass_replies(
        self, pages: list[list[Any]], previous_newest: int | None = None
    ) -> list[Reply]:
        replies = [self.lookup()]
        min_id = self.status_id(previous_newest) if previous_newest else "0"
        for statuses in [*pages, []] if any(pages) else [[]]:
            headers = {}
            if statuses and all("id" in s for s in statuses):
                ids = [s["id"] for s in statuses]
                headers["Link"] = (
                    f'<https://{self.host}{self.statuses}?max_id={min(ids)}>; rel="next", '
                    f'<https://{self.host}{self.statuses}?min_id={max(ids)}>; rel="prev"'
                )
            replies.append(
                Reply(
                    self.statuses,
                    body=list(statuses),
                    headers=headers,
                    expect={"min_id": min_id},
                    host=self.host,
                )
            )
            ids = [s["id"] for s in statuses if "id" in s]
            if ids:
                min_id = max(ids, key=int)
        return replies

    def error(self, status: int, headers: dict[str, str] | None = None) -> list[Reply]:
        body = {
            "error": "This API requires an authenticated user"
            if status == 401
            else "Internal error"
        }
        return [
            self.lookup(),
            Reply(self.statuses, status, body, dict(headers or {}), host=self.host),
        ]

    def rate_limit_headers(self, reset: datetime) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        }

    def malformed(self) -> list[Reply]:
        return [self.lookup(), Reply(self.statuses, body='[{"id": "1", ', host=self.host)]

    @contextmanager
    def serve(self, replies: list[Reply], tmp_path: Path) -> Iterator[Connector]:
        with cassette_replay(tmp_path / "mastodon_cassette.json", replies):
            yield MastodonConnector()


class FeedDouble(Double):
    platform = "feed"
    handle = "https://example.org/feed.xml"
    path = "/feed.xml"

    def key(self, n: int) -> str:
        return f"https://example.org/posts/{n}"

    def item(self, n: int, *, bare: bool = False) -> str:
        parts = [f"<title>Post {n}: workers walk out</title>", f"<link>{self.key(n)}</link>"]
        if not bare:
            parts += [
                f'<guid isPermaLink="true">{self.key(n)}</guid>',
                f"<pubDate>{format_datetime(time_of(n))}</pubDate>",
                f"<description>{escape(f'<p>Summary of post {n}.</p>')}</description>",
                "<author>press@example.org (Press desk)</author>",
            ]
        return "<item>" + "".join(parts) + "</item>"

    def post(self, n: int) -> str:
        return self.item(n)

    def bare_post(self, n: int) -> str:
        return self.item(n, bare=True)

    def broken_post(self) -> str:
        return "<item><description>an entry with no id, link or title</description></item>"

    def document(self, items: list[str], next_url: str | None) -> str:
        next_link = f'<atom:link rel="next" href="{next_url}"/>' if next_url else ""
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            "<title>Example labour news</title><link>https://example.org/</link>"
            f"<language>en</language>{next_link}{''.join(items)}</channel></rss>"
        )

    def pass_replies(
        self, pages: list[list[Any]], previous_newest: int | None = None
    ) -> list[Reply]:
        replies = []
        for i, items in enumerate(pages):
            last = i + 1 == len(pages)
            entries = list(items)
            if last and previous_newest:
                entries.append(self.post(previous_newest))
            next_url = None if last else f"https://example.org/feed.xml?page={i + 2}"
            headers = {
                "Content-Type": "application/rss+xml",
                "ETag": '"v2"' if previous_newest else '"v1"',
            }
            replies.append(
                Reply(
                    self.path,
                    body=self.document(entries, next_url),
                    headers=headers if i == 0 else {"Content-Type": "application/rss+xml"},
                    expect={"page": str(i + 1) if i else ABSENT},
                    expect_headers={"If-None-Match": '"v1"'} if previous_newest and i == 0 else {},
                )
            )
        return replies

    def error(self, status: int, headers: dict[str, str] | None = None) -> list[Reply]:
        return [
            Reply(
                self.path,
                status,
                "<html>error</html>",
                {"Content-Type": "text/html", **(headers or {})},
            )
        ]

    def rate_limit_headers(self, reset: datetime) -> dict[str, str]:
        return {"Retry-After": format_datetime(reset, usegmt=True)}

    def malformed(self) -> list[Reply]:
        return [
            Reply(
                self.path,
                body="<<<this is not < xml & at all",
                headers={"Content-Type": "application/rss+xml"},
            )
        ]

    @contextmanager
    def serve(self, replies: list[Reply], tmp_path: Path) -> Iterator[Connector]:
        replay = HttpxReplay(replies)
        yield FeedConnector(transport=replay.transport)
        assert not replay.replies, f"{len(replay.replies)} recorded responses were never asked for"


DOUBLES: dict[str, Double] = {
    "x": XDouble(),
    "bluesky": BlueskyDouble(),
    "mastodon": MastodonDouble(),
    "feed": FeedDouble(),
}
