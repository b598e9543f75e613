"""The feed connector fetches through netguard: inward addresses, redirects, bombs, size caps.

Sources are written straight into the store here (as an old database or a hand edit could
hold them), so these tests show the pull itself refuses, not only `sources add`.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from connectors import netguard
from connectors.feeds import FeedConnector
from connectors.runner import RetryPolicy, pull_source
from db.engine import session_scope
from db.models import Post, Quarantine, Source, SyncState
from tests.reliability.paged_feed import FEED_HOST, PagedFeeds, feed_page, feed_url

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<rss version="2.0"><channel><title>&c;</title>
<item><title>&c;</title><guid>x</guid></item></channel></rss>"""


def resolver(host: str) -> list[str]:
    table = {FEED_HOST: ["93.184.215.14"], "inward.example": ["10.0.0.7"]}
    if host not in table:
        raise netguard.UnresolvableHost(f"cannot resolve {host!r}")
    return table[host]


def source_with(engine: Engine, handle: str, **options: object) -> int:
    with session_scope(engine) as session:
        source = Source(platform="feed", handle=handle, kind="news", options=dict(options))
        session.add(source)
        session.flush()
        assert source.id is not None
        session.add(SyncState(source_id=source.id))
        return source.id


def pull(engine: Engine, source_id: int, handler: httpx.MockTransport) -> tuple[str, str | None]:
    connector = FeedConnector(transport=handler, resolver=resolver)
    result = pull_source(
        engine, source_id, connector, policy=RetryPolicy(attempts=1), sleeper=lambda _s: None
    )
    return result.status, result.error


def posts(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(Post)).all())


@pytest.mark.parametrize(
    ("handle", "reason"),
    [
        ("http://127.0.0.1/x", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://inward.example/feed.xml", "private"),
        ("http://localhost:8501/feed", "localhost"),
    ],
)
def test_a_pull_refuses_inward_feeds(engine: Engine, handle: str, reason: str) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=feed_page("x", 1, pages=1, per_page=2))

    source_id = source_with(engine, handle)
    status, error = pull(engine, source_id, httpx.MockTransport(handler))
    assert status == "failed" and error is not None
    assert "refused" in error and reason in error and "--allow-private" in error
    assert seen == [] and posts(engine) == 0


def test_allow_private_sources_are_fetched(engine: Engine) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=feed_page("intranet", 1, pages=1, per_page=3))

    source_id = source_with(engine, "http://inward.example/feed.xml", allow_private=True)
    status, error = pull(engine, source_id, httpx.MockTransport(handler))
    assert (status, error) == ("ok", None)
    assert posts(engine) == 3


def test_a_redirect_into_the_network_is_refused(engine: Engine) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"location": "http://10.0.0.1/admin"})

    source_id = source_with(engine, feed_url("moved"))
    status, error = pull(engine, source_id, httpx.MockTransport(handler))
    assert status == "failed" and error and "10.0.0.1" in error and "private" in error
    assert seen == [feed_url("moved")]


def test_an_entity_bomb_is_quarantined_not_expanded(engine: Engine) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=BOMB, headers={"content-type": "application/rss+xml"})

    source_id = source_with(engine, feed_url("bomb"))
    status, error = pull(engine, source_id, httpx.MockTransport(handler))
    assert status == "failed" and error and "entit" in error
    assert posts(engine) == 0
    with Session(engine) as session:
        kept = session.exec(select(Quarantine)).all()
    assert len(kept) == 1 and "ENTITY" in (kept[0].raw or "")


def test_an_oversized_feed_is_abandoned(engine: Engine) -> None:
    def endless() -> object:
        yield b"<rss><channel>"
        while True:
            yield b"<item><title>x</title></item>" * 1000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=endless())  # type: ignore[arg-type]

    source_id = source_with(engine, feed_url("huge"))
    connector = FeedConnector(transport=httpx.MockTransport(handler), resolver=resolver)
    connector.limits = netguard.FetchLimits(max_bytes=200_000)
    result = pull_source(
        engine, source_id, connector, policy=RetryPolicy(attempts=1), sleeper=lambda _s: None
    )
    assert result.status == "failed" and result.error and "200000-byte limit" in result.error
    assert posts(engine) == 0


def test_a_normal_paged_feed_still_pulls(engine: Engine) -> None:
    feeds = PagedFeeds(pages=3, per_page=4)
    source_id = source_with(engine, feed_url("normal"))
    status, error = pull(engine, source_id, feeds.transport())
    assert (status, error) == ("ok", None)
    assert posts(engine) == 12 and len(feeds.requests) == 3


FEED_INPUTS = {"n": 0}


@pytest.fixture(scope="module", autouse=True)
def report_feed_inputs() -> Iterator[None]:
    yield
    print(f"\nhostile feed bodies tried: {FEED_INPUTS['n']}")


@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    body=st.binary(max_size=3000)
    | st.text(max_size=2000).map(lambda t: f"<rss><channel>{t}</channel></rss>".encode())
    | st.sampled_from([BOMB, BOMB.decode().encode("utf-16"), b"\xef\xbb\xbf" + BOMB, b"\x00" * 50])
)
def test_hostile_feed_bodies_give_a_clear_result(body: bytes) -> None:
    """Any body: parsed, or refused with UnsafeXML / ResponseTooLarge; never another error."""
    FEED_INPUTS["n"] += 1
    try:
        parsed = netguard.parse_feed(body, max_bytes=2500)
    except (netguard.UnsafeXML, netguard.ResponseTooLarge) as exc:
        assert str(exc)
        return
    assert isinstance(parsed.entries, list)


def test_an_entry_the_store_cannot_hold_is_quarantined_and_the_rest_kept(engine: Engine) -> None:
    feed = (
        "<rss version='2.0'><channel><title>t</title>"
        "<item><title>NUL</title><guid>g1</guid><description>a &#0; b</description></item>"
        "<item><title>long</title><guid>g2</guid><author>" + "x" * 400 + "</author></item>"
        "<item><title>fine</title><guid>g3</guid><description>ok</description></item>"
        "</channel></rss>"
    ).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=feed)

    source_id = source_with(engine, feed_url("mixed"))
    connector = FeedConnector(transport=httpx.MockTransport(handler), resolver=resolver)
    result = pull_source(
        engine, source_id, connector, policy=RetryPolicy(attempts=1), sleeper=lambda _s: None
    )
    assert (result.status, result.new, result.quarantined) == ("ok", 1, 2)
    with Session(engine) as session:
        reasons = sorted(q.error for q in session.exec(select(Quarantine)).all())
    assert len(reasons) == 2
    assert any("NUL" in r for r in reasons) and any("longer than 300" in r for r in reasons)
