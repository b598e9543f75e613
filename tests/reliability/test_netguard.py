"""URL safety for everything fetched: schemes, inward addresses, redirects, size, time, XML."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator

import httpx
import pytest

from connectors import netguard
from connectors.netguard import (
    FetchLimits,
    FetchTimedOut,
    ResponseTooLarge,
    UnresolvableHost,
    UnsafeURL,
    UnsafeXML,
    check_url,
    fetch,
    parse_feed,
)

PUBLIC = "93.184.215.14"
DNS = {
    "news.example": [PUBLIC],
    "inward.example": ["10.1.2.3"],
    "mixed.example": [PUBLIC, "127.0.0.1"],
    "metadata.example": ["169.254.169.254"],
    "v6local.example": ["::1"],
    "mapped.example": ["::ffff:192.168.0.1"],
}

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Worker news</title>
<item><title>We walk out</title><link>https://news.example/a</link><guid>a1</guid></item>
</channel></rss>"""


def resolver(host: str) -> list[str]:
    """A fake DNS: the table above, nothing else (tests never touch the network)."""
    if host not in DNS:
        raise UnresolvableHost(f"cannot resolve {host!r}")
    return DNS[host]


def client_for(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http:// and https://"),
        ("ftp://news.example/feed", "only http:// and https://"),
        ("data:text/xml,<rss/>", "only http:// and https://"),
        ("gopher://news.example/", "only http:// and https://"),
        ("javascript:alert(1)", "only http:// and https://"),
        ("news.example/feed", "only http:// and https://"),
        ("http://127.0.0.1/x", "loopback"),
        ("http://localhost:8501/", "localhost"),
        ("http://app.localhost/", "localhost"),
        ("http://[::1]/feed", "loopback"),
        ("http://10.0.0.5/feed", "private"),
        ("http://192.168.1.1/feed", "private"),
        ("http://172.16.0.1/feed", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://240.0.0.1/", "reserved"),
        ("http://100.64.0.1/", "not globally routable"),
        ("http://inward.example/feed", "private"),
        ("http://mixed.example/feed", "loopback"),
        ("http://metadata.example/", "link-local"),
        ("http://v6local.example/", "loopback"),
        ("http://mapped.example/", "private"),
        ("http://user:secret@news.example/feed", "user name or password"),
        ("http:///feed", "no host"),
        ("http://news.example:99999/", "not a valid URL"),
    ],
)
def test_unsafe_urls_are_refused_with_a_reason(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURL, match=reason):
        check_url(url, resolver=resolver)


def test_the_reason_for_an_inward_address_names_the_opt_in() -> None:
    with pytest.raises(UnsafeURL, match="--allow-private"):
        check_url("http://127.0.0.1/x", resolver=resolver)


@pytest.mark.parametrize("url", ["https://news.example/feed.xml", f"http://{PUBLIC}/rss"])
def test_public_http_urls_pass(url: str) -> None:
    assert check_url(url, resolver=resolver) == url


def test_allow_private_lets_inward_addresses_through_but_not_other_schemes() -> None:
    assert check_url("http://127.0.0.1/x", allow_private=True, resolver=resolver)
    assert check_url("http://inward.example/feed", allow_private=True, resolver=resolver)
    with pytest.raises(UnsafeURL, match="only http"):
        check_url("file:///etc/passwd", allow_private=True, resolver=resolver)


def test_unresolvable_hosts_are_a_network_problem_not_a_refusal() -> None:
    with pytest.raises(UnresolvableHost):
        check_url("https://nowhere.example/feed", resolver=resolver)
    assert check_url("https://nowhere.example/feed", resolver=resolver, resolve=False)


def test_fetch_reads_a_public_feed() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=RSS, headers={"content-type": "application/rss+xml"})

    with client_for(handler) as client:
        fetched = fetch(client, "https://news.example/feed", resolver=resolver)
    assert fetched.status_code == 200 and fetched.content == RSS
    assert seen == ["https://news.example/feed"]


def test_fetch_never_requests_a_refused_url() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=b"secret")

    with client_for(handler) as client, pytest.raises(UnsafeURL):
        fetch(client, "http://169.254.169.254/latest/meta-data/", resolver=resolver)
    assert seen == []


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1/admin",
        "http://inward.example/",
        "file:///etc/passwd",
        "/../../../etc/passwd?x",  # relative: stays on the public host, so it is allowed
    ],
)
def test_every_redirect_hop_is_checked_again(target: str) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.host == "news.example" and request.url.path == "/feed":
            return httpx.Response(302, headers={"location": target})
        return httpx.Response(200, content=b"reached")

    with client_for(handler) as client:
        if target.startswith("/"):
            fetched = fetch(client, "https://news.example/feed", resolver=resolver)
            assert fetched.content == b"reached" and fetched.redirects
            assert len(seen) == 2
        else:
            with pytest.raises(UnsafeURL):
                fetch(client, "https://news.example/feed", resolver=resolver)
            assert seen == ["https://news.example/feed"]


def test_redirect_loops_stop() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        n = int(request.url.params.get("n", "0"))
        return httpx.Response(301, headers={"location": f"https://news.example/feed?n={n + 1}"})

    with client_for(handler) as client, pytest.raises(UnsafeURL, match="more than 3 redirects"):
        fetch(
            client,
            "https://news.example/feed",
            resolver=resolver,
            limits=FetchLimits(max_redirects=3),
        )


def test_a_response_past_the_size_cap_is_abandoned() -> None:
    produced = {"bytes": 0}

    def endless() -> Iterator[bytes]:
        while True:
            produced["bytes"] += 65536
            yield b"x" * 65536

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=endless())

    with client_for(handler) as client, pytest.raises(ResponseTooLarge, match="100000-byte"):
        fetch(
            client,
            "https://news.example/feed",
            resolver=resolver,
            limits=FetchLimits(max_bytes=100_000),
        )
    assert produced["bytes"] < 100_000 + 2 * 65536


def test_a_declared_length_past_the_cap_is_refused_before_reading() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x" * 2000)

    with client_for(handler) as client, pytest.raises(ResponseTooLarge, match="says it is 2000"):
        fetch(
            client, "https://news.example/f", resolver=resolver, limits=FetchLimits(max_bytes=1000)
        )


def test_a_gzip_bomb_is_capped_after_decompression() -> None:
    bomb = gzip.compress(b"\x00" * 5_000_000)
    assert len(bomb) < 10_000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=bomb, headers={"content-encoding": "gzip"})

    with client_for(handler) as client, pytest.raises(ResponseTooLarge):
        fetch(
            client,
            "https://news.example/f",
            resolver=resolver,
            limits=FetchLimits(max_bytes=1_000_000),
        )


def test_a_gzipped_response_within_the_cap_is_decoded() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=gzip.compress(RSS), headers={"content-encoding": "gzip"})

    with client_for(handler) as client:
        fetched = fetch(client, "https://news.example/f", resolver=resolver)
    assert fetched.content == RSS and "content-encoding" not in fetched.headers


def test_a_response_past_the_total_time_is_abandoned(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = {"now": 1000.0}
    monkeypatch.setattr(netguard.time, "monotonic", lambda: clock["now"])

    def slow_body() -> Iterator[bytes]:
        for _ in range(100):
            clock["now"] += 1.0  # each chunk "takes" a second
            yield b"<rss>"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=slow_body())

    with client_for(handler) as client, pytest.raises(FetchTimedOut, match="longer than 5 s"):
        fetch(
            client, "https://news.example/f", resolver=resolver, limits=FetchLimits(total_seconds=5)
        )


def test_every_request_carries_a_timeout() -> None:
    timeouts: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"])
        return httpx.Response(200, content=RSS)

    with httpx.Client(transport=httpx.MockTransport(handler), timeout=None) as client:
        fetch(client, "https://news.example/f", resolver=resolver)
    assert timeouts and all(t["read"] and t["connect"] for t in timeouts)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>&lol3;</title></channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title></channel></rss>"""

MALFORMED_WITH_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY a "&b;&b;"> <oops ]>
<rss><channel><title>&a;</title></rss>"""


@pytest.mark.parametrize(
    "document",
    [
        BILLION_LAUGHS,
        EXTERNAL_ENTITY,
        MALFORMED_WITH_ENTITY,
        BILLION_LAUGHS.decode().replace('"1.0"?>', '"1.0" encoding="utf-16"?>').encode("utf-16"),
    ],
    ids=["billion-laughs", "external-entity", "malformed", "utf-16"],
)
def test_entity_declarations_are_refused_before_parsing(document: bytes) -> None:
    with pytest.raises(UnsafeXML, match="entit"):
        parse_feed(document)


def test_a_plain_feed_parses() -> None:
    parsed = parse_feed(RSS)
    assert parsed.feed.title == "Worker news"
    assert [e.title for e in parsed.entries] == ["We walk out"]


def test_parse_feed_refuses_text_that_feedparser_would_take_for_a_url() -> None:
    with pytest.raises(TypeError, match="bytes"):
        parse_feed("file:///etc/passwd")  # type: ignore[arg-type]


def test_parse_feed_caps_the_size() -> None:
    with pytest.raises(ResponseTooLarge):
        parse_feed(RSS, max_bytes=10)


def test_without_resolving_literal_inward_addresses_are_still_refused() -> None:
    with pytest.raises(UnsafeURL, match="loopback"):
        check_url("http://127.0.0.1/x", resolve=False)
    with pytest.raises(UnsafeURL, match="localhost"):
        check_url("http://localhost/x", resolve=False)


def test_the_default_resolver_can_be_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(netguard, "DEFAULT_RESOLVER", resolver)
    with pytest.raises(UnsafeURL, match="private"):
        check_url("http://inward.example/feed")
    assert check_url("https://news.example/feed")


@pytest.mark.parametrize(
    "reference", ["&#xD83D;", "&#55357;", "&#x110000;", "&#" + "9" * 5000 + ";"]
)
def test_a_reference_to_no_character_reads_as_the_replacement_character(reference: str) -> None:
    """feedparser raises on half of a character or a code point past U+10FFFF, which would lose
    the whole feed; they read as U+FFFD, as HTML parsers read them."""
    feed = (
        "<rss version='2.0'><channel><title>t</title><item><title>a</title><guid>g</guid>"
        f"<description>cut {reference} here &#x1F600;</description></item></channel></rss>"
    ).encode()
    (entry,) = netguard.parse_feed(feed).entries
    assert entry["summary"] == "cut \ufffd here \U0001f600"
