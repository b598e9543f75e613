"""Explicit references between posts: the URLs a post quotes, replies to or links.

One post can be addressed in several ways: a tweet as ``x.com/<user>/status/<id>``,
``twitter.com/i/web/status/<id>`` (what the X API's referenced tweets give) or with share
parameters; a Bluesky post under its author's handle or DID; a Mastodon status at its web
address or its ActivityPub URI. ``reference_key`` reduces each
address to one key, so a quote, a reply or a link finds the post it points at whichever form
the platform or the writer used.

``links_in_text`` finds the addresses written in a post's text; the connectors add the links a
platform keeps beside the text (``connectors.links``). A link to another stored post is an
explicit reference, like a quote. A link to some other page (a petition, an open letter, an
article) that two posts share is evidence that they belong together, when the page is specific
enough to stand for one thing: a site's front page or an account's profile is not
(``is_specific``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit

from campaigns.linking.model import PostInput, PostLink

_URL_IN_TEXT = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'()\[\]{}]{3,2000}")
_TRAILING = ".,;:!?…»”’"
_TWEET = re.compile(
    r"^(?:mobile\.)?(?:twitter|x)\.com/(?:[a-z0-9_]{1,15}|i/web|i)/status(?:es)?/(\d{1,20})\b"
)
_BLUESKY_POST = re.compile(r"^bsky\.app/profile/[^/]+/post/([a-z2-7]{13})\b")
# a Mastodon status at its web address or its ActivityPub URI (the post's id in the store)
_MASTODON_STATUS = re.compile(r"^([^/]+)/(?:@([\w.-]+)|users/([\w.-]+)/statuses)/(\d{6,20})$")
_HOST = re.compile(r"^(?:[\w-]+\.)+[\w-]{2,}$")
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|igshid|mc_cid|mc_eid|ref_src|ref_url)$")
_HOST_PREFIXES = ("www.", "m.", "mobile.")
# hosts whose one-segment paths are accounts or front pages, never one document
_PROFILE_HOSTS = {
    "twitter.com", "x.com", "bsky.app", "facebook.com", "instagram.com", "linkedin.com",
    "tiktok.com", "youtube.com", "medium.com", "linktr.ee", "github.com", "threads.net",
}  # fmt: skip


def reference_key(url: str) -> str:
    """One key per addressed post or page, whatever form the address takes.

    Tweets key by their id, Bluesky posts by their record key and Mastodon statuses by
    server, account and id; any other address by its host (without ``www.``/``m.``), path (without a trailing slash) and query (without
    tracking parameters), lower-cased, scheme and fragment dropped.
    """
    value = url.strip()
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
    except ValueError:
        return url.strip().lower()
    host = (parts.hostname or "").lower()
    for prefix in _HOST_PREFIXES:
        host = host.removeprefix(prefix)
    path = parts.path.rstrip("/")
    address = f"{host}{path}".lower()
    tweet = _TWEET.match(address)
    if tweet:
        return f"x.com/status/{tweet.group(1)}"
    post = _BLUESKY_POST.match(address)
    if post:
        return f"bsky.app/post/{post.group(1)}"
    status = _MASTODON_STATUS.match(address)
    if status and not parts.query:
        host, user = status.group(1), status.group(2) or status.group(3)
        return f"{host}/@{user}/{status.group(4)}"
    query = [(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k.lower())]
    return address + (f"?{urlencode(query)}" if query else "")


def links_in_text(text: str) -> list[str]:
    """The web addresses written in ``text``, in order, without trailing punctuation."""
    return [match.group(0).rstrip(_TRAILING) for match in _URL_IN_TEXT.finditer(text or "")]


def is_specific(key: str) -> bool:
    """Whether an address (a ``reference_key``) stands for one document, not a site or account.

    A front page (no path) is not; on the social and publishing hosts an account's page (one
    path segment, ``x.com/amazonlabor``, ``medium.com/@group``) is not either.
    """
    host, _, path = key.partition("/")
    segments = [s for s in path.split("?")[0].split("/") if s]
    if not segments:
        return False
    return not (host in _PROFILE_HOSTS and len(segments) == 1)


SHORTENERS = {
    "t.co", "bit.ly", "ow.ly", "buff.ly", "tinyurl.com", "trib.al", "dlvr.it", "lnkd.in",
    "goo.gl", "fb.me", "ift.tt", "shorturl.at", "rebrand.ly",
}  # fmt: skip


# hosts whose pages belong to an account (posts, profiles, repositories): a page there can name
# a person, and individual workers are never named in exports
ACCOUNT_HOSTS = _PROFILE_HOSTS | {"reddit.com", "mastodon.social", "old.reddit.com"}


def names_an_account(key: str) -> bool:
    """Whether an address (a ``reference_key``) is a social post or an account's page."""
    host, _, path = key.partition("/")
    return host in ACCOUNT_HOSTS or "@" in path or bool(_MASTODON_STATUS.match(key))


def evidence_links(text: str, links: Iterable[str], own_url: str | None) -> list[str]:
    """The pages a post points to that can stand as evidence beside it: the open letter, the
    petition, the article. Left out: short links (where they lead is unknown), front pages,
    the post's own address, and social posts and accounts' pages (they can name a person; a
    stored post is evidence through its own suggestion). Each page once, with a scheme."""
    own = reference_key(own_url) if own_url else None
    found: dict[str, str] = {}
    for url in [*links, *links_in_text(text)]:
        key = reference_key(url)
        host = key.partition("/")[0]
        if key == own or host in SHORTENERS or not is_specific(key) or names_an_account(key):
            continue
        if not _HOST.match(host) or not url.lower().startswith(("http://", "https://", "www.")):
            continue  # not a web address a reader can open
        found.setdefault(key, url if "://" in url else f"https://{url}")
    return list(found.values())


MAX_SHARING = 20  # earlier posts remembered per shared page: enough to place a post, bounded


class References:
    """Which posts each post of a run refers to: the ones it quotes, replies to or links
    (``direct``), then the earlier ones that link the same specific page (``shared``)."""

    def __init__(self, links: Iterable[PostLink]) -> None:
        self.by_address: dict[str, PostLink] = {}
        for link in links:
            if link.post.url:
                self.by_address.setdefault(reference_key(link.post.url), link)
        self.sharing: dict[str, list[PostLink]] = {}
        self._outbound: dict[str, list[tuple[str, str]]] = {}

    def outbound(self, post: PostInput) -> list[tuple[str, str]]:
        """The addresses a post links, each with its key: those kept beside its text, then
        those in it (keyed once per post and run)."""
        found = self._outbound.get(post.key)
        if found is None:
            urls = dict.fromkeys([*post.links, *links_in_text(post.text)])
            found = [(url, reference_key(url)) for url in urls]
            self._outbound[post.key] = found
        return found

    def of(self, link: PostLink) -> tuple[list[PostLink], list[str]]:
        """The posts ``link`` refers to, direct references first, and the shared pages."""
        post = link.post
        outbound = self.outbound(post)
        addressed = [reference_key(u) for u in (post.quote_of_url, post.reply_to_url) if u]
        found: dict[str, PostLink] = {}
        for key in [*addressed, *(key for _, key in outbound)]:
            target = self.by_address.get(key)
            if target is not None and target.post.key != post.key:
                found.setdefault(target.post.key, target)
        shared = []
        for url, key in outbound:
            earlier = self.sharing.get(key, [])
            if earlier:
                shared.append(url)
            for other in earlier:
                found.setdefault(other.post.key, other)
        return list(found.values()), shared

    def seen(self, link: PostLink) -> None:
        """Remember the specific pages a placed post links, for the posts after it."""
        for _, key in self.outbound(link.post):
            if key in self.by_address or not is_specific(key):
                continue
            posts = self.sharing.setdefault(key, [])
            if len(posts) < MAX_SHARING:
                posts.append(link)
