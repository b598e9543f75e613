"""A paged RSS feed served by an httpx MockTransport: what `campaigns pull` reads in these tests.

Page ``p`` of feed ``name`` holds entries ``name-p-0 ... name-p-(per_page-1)``, newest first,
and links to page ``p + 1`` with ``<atom:link rel="next">`` (RFC 5005) until the last page.
Nothing ever reaches the network: the host ``news.example`` only exists here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx

FEED_HOST = "news.example"
FEED_ADDRESS = "93.184.215.14"  # what the fake resolver answers for FEED_HOST (a public address)


def feed_url(name: str) -> str:
    return f"https://{FEED_HOST}/{name}/feed.xml"


def entry_time(page: int, index: int, pages: int, per_page: int) -> datetime:
    # Page 1 is the newest; entries within a page newest first.
    age = (page - 1) * per_page + index
    return datetime(2024, 6, 1, tzinfo=UTC) + timedelta(hours=pages * per_page - age)


def feed_page(name: str, page: int, *, pages: int, per_page: int) -> bytes:
    items = []
    for index in range(per_page):
        when = format_datetime(entry_time(page, index, pages, per_page))
        items.append(
            f"<item><title>{name} walkout update {page}.{index}</title>"
            f"<link>https://{FEED_HOST}/{name}/posts/{page}-{index}</link>"
            f'<guid isPermaLink="false">urn:{name}:{page}-{index}</guid>'
            f"<pubDate>{when}</pubDate>"
            f"<description>Workers at the company demand a fair contract ({page}.{index})."
            f"</description></item>"
        )
    next_link = (
        f'<atom:link rel="next" href="{feed_url(name)}?page={page + 1}"/>' if page < pages else ""
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f"<title>{name} news</title><link>https://{FEED_HOST}/{name}</link>"
        f"<description>test feed</description>{next_link}{''.join(items)}"
        "</channel></rss>"
    ).encode()


class PagedFeeds:
    """A transport answering every ``feed_url(name)?page=p``; counts the requests per page."""

    def __init__(self, *, pages: int = 5, per_page: int = 20) -> None:
        self.pages = pages
        self.per_page = per_page
        self.requests: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(str(request.url))
        parts = request.url.path.strip("/").split("/")
        if request.url.host != FEED_HOST or len(parts) != 2 or parts[1] != "feed.xml":
            return httpx.Response(404, text="no such feed")
        page = int(request.url.params.get("page", "1"))
        if not 1 <= page <= self.pages:
            return httpx.Response(404, text="no such page")
        body = feed_page(parts[0], page, pages=self.pages, per_page=self.per_page)
        return httpx.Response(200, content=body, headers={"content-type": "application/rss+xml"})

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def fake_resolver(host: str) -> list[str]:
    """The only DNS these tests have."""
    if host == FEED_HOST:
        return [FEED_ADDRESS]
    from connectors.netguard import UnresolvableHost

    raise UnresolvableHost(f"cannot resolve {host!r} (tests have no DNS)")
