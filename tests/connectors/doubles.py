"""Recorded responses for each platform, in the shapes their APIs document, and the plumbing
that replays them: vcrpy cassettes for tweepy and Mastodon.py (requests), httpx MockTransport
for atproto and feeds. No double ever lets a request reach the network.

Post ``n`` of a double is the n-th post of its account: later ``n`` means newer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import vcr

from connectors.base import Connector

BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)
ABSENT = "__absent__"


def time_of(n: int) -> datetime:
    return BASE_TIME + timedelta(hours=n)


def iso_z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class Reply:
    """One recorded response, with what the request must carry to get it."""

    path: str
    status: int = 200
    body: Any = None  # dict/list -> JSON; str/bytes as they are
    headers: dict[str, str] = field(default_factory=dict)
    expect: dict[str, str] = field(default_factory=dict)  # query params (ABSENT = not sent)
    expect_headers: dict[str, str] = field(default_factory=dict)
    host: str = ""

    def content(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        if self.body is None:
            return b""
        return json.dumps(self.body).encode()

    def content_type(self) -> str:
        if "Content-Type" in self.headers:
            return self.headers["Content-Type"]
        return "application/json; charset=utf-8"


def _check_params(query: dict[str, list[str]], expect: dict[str, str]) -> list[str]:
    problems = []
    for key, value in expect.items():
        got = query.get(key, [None])[0]
        if value == ABSENT and got is not None:
            problems.append(f"{key} should be absent, got {got!r}")
        elif value != ABSENT and got != value:
            problems.append(f"{key} should be {value!r}, got {got!r}")
    return problems


class HttpxReplay:
    """An httpx transport that answers requests from a list of replies, in order."""

    def __init__(self, replies: list[Reply]) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.replies:
            raise AssertionError(f"unexpected request {request.url}")
        reply = self.replies.pop(0)
        problems = []
        if reply.path != request.url.path:
            problems.append(f"path should be {reply.path}, got {request.url.path}")
        problems += _check_params(parse_qs(request.url.query.decode()), reply.expect)
        for name, value in reply.expect_headers.items():
            got = request.headers.get(name)
            if (value == ABSENT and got is not None) or (value != ABSENT and got != value):
                problems.append(f"header {name} should be {value!r}, got {got!r}")
        if problems:
            raise AssertionError(f"request {request.url}: " + "; ".join(problems))
        headers = {"Content-Type": reply.content_type(), **reply.headers}
        return httpx.Response(reply.status, content=reply.content(), headers=headers)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)


def _cursor_params(r1: Any, r2: Any) -> None:
    """vcr matcher: the stored request's query lists what the real one must carry."""
    stored = parse_qs(urlsplit(r2.uri).query)
    actual = parse_qs(urlsplit(r1.uri).query)
    expect = {k: v[0] for k, v in stored.items()}
    problems = _check_params(actual, expect)
    if problems:
        raise AssertionError("; ".join(problems))


def write_cassette(path: Path, replies: list[Reply]) -> Path:
    """A vcrpy cassette (JSON serializer) holding the replies in order."""
    interactions = []
    for reply in replies:
        query = urlencode(reply.expect)
        uri = f"https://{reply.host}{reply.path}" + (f"?{query}" if query else "")
        headers = {"Content-Type": [reply.content_type()]}
        headers.update({k: [v] for k, v in reply.headers.items()})
        interactions.append(
            {
                "request": {"method": "GET", "uri": uri, "body": None, "headers": {}},
                "response": {
                    "status": {"code": reply.status, "message": "recorded"},
                    "headers": headers,
                    "body": {"string": reply.content().decode()},
                },
            }
        )
    path.write_text(json.dumps({"interactions": interactions, "version": 1}))
    return path


@contextmanager
def cassette_replay(path: Path, replies: list[Reply]) -> Iterator[Any]:
    """Replay replies through vcrpy; fails on any request not in the cassette."""
    write_cassette(path, replies)
    recorder = vcr.VCR(record_mode="none", serializer="json")
    recorder.register_matcher("cursor_params", _cursor_params)
    with recorder.use_cassette(
        str(path), match_on=["method", "host", "path", "cursor_params"]
    ) as cassette:
        yield cassette
        assert cassette.all_played, f"not every recorded response was asked for ({path.name})"


class Double:
    """What a scenario test needs from a platform: posts, pages and a wired connector."""

    platform: str
    handle: str
    newest_first = True

    def post(self, n: int) -> Any:
        raise NotImplementedError

    def bare_post(self, n: int) -> Any:
        """Post n with every optional field left out."""
        raise NotImplementedError

    def broken_post(self) -> Any:
        """An item that cannot become a post."""
        raise NotImplementedError

    def key(self, n: int) -> str:
        """platform_post_id of post n."""
        raise NotImplementedError

    def pass_replies(
        self, pages: list[list[Any]], previous_newest: int | None = None
    ) -> list[Reply]:
        """Replies for a whole pass whose pages hold these items (in request order)."""
        raise NotImplementedError

    def error(self, status: int, headers: dict[str, str] | None = None) -> list[Reply]:
        raise NotImplementedError

    def malformed(self) -> list[Reply]:
        raise NotImplementedError

    def two_pages(self) -> list[list[int]]:
        """Post numbers of a two-page pass, in request order."""
        return [[4, 3], [2, 1]]

    def rate_limit_headers(self, reset: datetime) -> dict[str, str]:
        raise NotImplementedError

    def pages_of(self, numbers: list[list[int]]) -> list[list[Any]]:
        """Numbered posts grouped into pages in the platform's order."""
        ordered = [sorted(page, reverse=True) for page in numbers]
        return [[self.post(n) for n in page] for page in ordered]

    @contextmanager
    def serve(self, replies: list[Reply], tmp_path: Path) -> Iterator[Connector]:
        raise NotImplementedError
