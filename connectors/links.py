"""The links a post carries beside its text, read from the payload its platform sent.

A tweet's text holds ``t.co`` short links; the addresses they stand for are in the tweet's
``entities.urls``. A Mastodon status is HTML whose ``<a href>`` are the links (mentions and
hashtags are links too, and are left out), with a preview ``card``. A Bluesky post keeps its
links in ``facets`` and a link preview in an ``external`` embed. A feed entry's summary and
content are HTML. A post imported in the project's own format lists its ``links``. The linking
engine reads these as explicit references (campaigns/linking/
references.py). A payload of an unexpected shape gives no links, never an error: links are
evidence, and a post without them is still linked on its words.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

LINK_FACET = "app.bsky.richtext.facet#link"
EXTERNAL_EMBED = "app.bsky.embed.external"


class _Anchors(HTMLParser):
    """The ``href`` of each ``<a>``, except mention and hashtag links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if "mention" in classes or "hashtag" in classes:
            return
        href = found.get("href")
        if href and href.startswith(("http://", "https://")):
            self.hrefs.append(href)


def anchors(html: Any) -> list[str]:
    """The links of an HTML fragment (none if it is not text)."""
    if not isinstance(html, str) or "<a" not in html:
        return []
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    return parser.hrefs


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None


def _items(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _x(raw: dict[str, Any]) -> list[str]:
    tweet = raw.get("tweet")
    entities = tweet.get("entities") if isinstance(tweet, dict) else None
    urls = entities.get("urls") if isinstance(entities, dict) else None
    found = []
    for item in _items(urls):
        url = _text(item.get("unwound_url")) or _text(item.get("expanded_url"))
        if url:
            found.append(url)
    return found


def _mastodon(raw: dict[str, Any]) -> list[str]:
    found = anchors(raw.get("content"))
    card = raw.get("card")
    if isinstance(card, dict) and _text(card.get("url")):
        found.append(card["url"])
    return found


def _bluesky(raw: dict[str, Any]) -> list[str]:
    post = raw.get("post")
    record = post.get("record") if isinstance(post, dict) else None
    if not isinstance(record, dict):
        return []
    found = []
    for facet in _items(record.get("facets")):
        for feature in _items(facet.get("features")):
            if feature.get("$type") == LINK_FACET and _text(feature.get("uri")):
                found.append(feature["uri"])
    embed = record.get("embed")
    if isinstance(embed, dict) and embed.get("$type") == EXTERNAL_EMBED:
        external = embed.get("external")
        if isinstance(external, dict) and _text(external.get("uri")):
            found.append(external["uri"])
    return found


def _feed(raw: dict[str, Any]) -> list[str]:
    found = anchors(raw.get("summary"))
    content = raw.get("content")
    for part in content if isinstance(content, list) else []:
        found.extend(anchors(part))
    own = raw.get("link")
    return [url for url in found if url != own]


READERS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "x": _x,
    "mastodon": _mastodon,
    "bluesky": _bluesky,
    "feed": _feed,
}


def _imported(raw: dict[str, Any]) -> list[str]:
    """The ``links`` of a post imported in the project's own format (README)."""
    return [url for url in raw["links"] if _text(url)]


def outbound_links(platform: str | None, raw: str | None) -> list[str]:
    """The links of a stored post's payload (``Post.raw``), in order, without repeats."""
    if not raw:
        return []
    try:
        payload = json.loads(raw)
    except ValueError:
        return []
    if not isinstance(payload, dict):
        return []
    if isinstance(payload.get("links"), list) and "platform_post_id" in payload:
        return list(dict.fromkeys(_imported(payload)))
    reader = READERS.get(platform or "")
    return list(dict.fromkeys(reader(payload))) if reader is not None else []
