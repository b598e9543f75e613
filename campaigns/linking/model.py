"""What the linking engine reads and writes: posts in, per-post analyses out, and a run's
campaigns and demands beside them (``LinkRun``).

The engine never touches the database: the CLI and the evaluation both turn their posts into
``PostInput`` and read ``PostLink`` back, so one code path serves the store and the labelled set.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime

from campaigns.linking.companies import BLOG_HOSTS
from campaigns.linking.grouping import CampaignState, DemandState
from campaigns.linking.vectors import SparseVector
from connectors.base import CODE_ELEMENTS

# Long articles are cut before analysis: the lead says who did what; the rest only costs time.
MAX_ANALYSED_CHARS = 4000

_TAG = re.compile(r"<[^>]{0,2000}>")
# where a script or a style sheet opens and closes in a post's HTML: code, not words
_CODE_OPENS = re.compile(rf"<({'|'.join(CODE_ELEMENTS)})\b[^>]{{0,2000}}>", re.IGNORECASE)
_CODE_CLOSES = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in CODE_ELEMENTS}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class PostInput:
    """One post as the engine sees it; ``key`` is unique within a run (db id or label key)."""

    key: str
    text: str
    posted_at: datetime | None = None
    platform: str = ""
    author_handle: str | None = None
    url: str | None = None
    lang: str | None = None
    source_kind: str | None = None
    quote_of_url: str | None = None
    reply_to_url: str | None = None
    links: tuple[str, ...] = ()  # links kept beside the text (connectors/links.py)
    # the company the tracked source speaks for or works at (a company's own account, a worker
    # group whose employer is known), as a registry slug: the company when the text names none
    source_company: str | None = None


@dataclass
class PostLink:
    """The engine's reading of one post: role, company, codes, campaign, demand, reasons."""

    post: PostInput
    role: str = "other"
    role_score: float = 0.0
    company: str | None = None
    named_company: str | None = None  # the company the post's own text names (echo context)
    business_unit: str | None = None
    tactic: str | None = None
    demand_type: str | None = None
    response_type: str | None = None
    outcome: str | None = None
    campaign_key: str | None = None
    demand_key: str | None = None  # the demand stated (demand posts) or answered
    more_demands: list[str] = field(default_factory=list)  # the others a post lists after it
    linked_post_key: str | None = None  # the post that states the answered demand
    alternatives: list[tuple[str, float]] = field(default_factory=list)  # next best demands
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    new_campaign: bool = False
    new_demand: bool = False
    group_score: float = 0.0
    role_scores: dict[str, float] = field(default_factory=dict)
    referenced_keys: set[str] = field(default_factory=set)
    rejected: bool = False  # a reviewer rejected its suggestion: it states no demand to answer
    # not a post: a demand already in the store (coded by hand, imported, the demo), given as
    # context so posts about its campaign join it and answers link to it; the campaign's title
    recorded: str | None = None
    # the employer it names that the registry does not know: "" none, None not read yet
    unknown_employer: str | None = None


# a feed from anyone's blog or from a forum is a person's post (the labelled sets give such
# posts no source kind, like individuals' posts on social platforms)
PERSONAL_FEED_HOSTS = BLOG_HOSTS | {"reddit.com"}
_SITE = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")


def speaker_kind(post: PostInput) -> str | None:
    """Who speaks in a post, as the engine reads it: the kind its source or import gives; for a
    feed entry given none, ``news`` when a site publishes it (the feed's handle is the site,
    "reuters.com") rather than a personal blog or a forum, whose posts are a person's."""
    if post.source_kind or post.platform != "feed":
        return post.source_kind
    host = (post.author_handle or "").strip().lower().removeprefix("www.")
    if not _SITE.match(host):
        return None
    if any(host == h or host.endswith("." + h) for h in PERSONAL_FEED_HOSTS):
        return None
    return "news"


def _without_code(value: str) -> str:
    """``value`` without its scripts and style sheets (each found once: linear in the text)."""
    kept: list[str] = []
    at = 0
    while (opened := _CODE_OPENS.search(value, at)) is not None:
        closed = _CODE_CLOSES[opened.group(1).lower()].search(value, opened.end())
        if closed is None:
            break  # never closed: left to the tag stripper
        kept += [value[at : opened.start()], " "]
        at = closed.end()
    return "".join(kept) + value[at:] if kept else value


def clean_text(text: str | None) -> str:
    """Plain text for analysis: tags removed, entities decoded, spaces collapsed, cut to size."""
    if not text:
        return ""
    value = text[: MAX_ANALYSED_CHARS * 4]
    if "<" in value:
        value = _TAG.sub(" ", _without_code(value))
    if "&" in value:
        value = html.unescape(value)
    value = _SPACE.sub(" ", value).strip()
    return value[:MAX_ANALYSED_CHARS]


def suggestion_score(link: PostLink, link_score: float = 1.0) -> float:
    """A suggestion's score: how sure its role, its campaign and (for an answer) its link are."""
    role_score = min(link.role_score / 5.0, 1.0)
    return round(0.4 * role_score + 0.2 * link.group_score + 0.4 * link_score, 3)


@dataclass
class LinkRun:
    """Every post's link plus the campaigns and demands the run built."""

    links: list[PostLink]
    campaigns: dict[str, CampaignState] = field(default_factory=dict)
    demands: dict[str, DemandState] = field(default_factory=dict)
    # posts of earlier runs that named no company and joined a campaign formed in this one
    adopted: list[PostLink] = field(default_factory=list)
    # actions of earlier runs found to state the demand that an answer of this run takes up
    stating: list[PostLink] = field(default_factory=list)
    # the demands a demand or action post lists ("Our demands: A, B, and C"), with their vectors
    parts: dict[str, list[tuple[str, SparseVector]]] = field(default_factory=dict)
    # the concept terms of the run's vocabulary (vectors.CONCEPT_WORDS), by index
    concepts: dict[int, str] = field(default_factory=dict)


def post_sort_key(post: PostInput) -> tuple[float, str]:
    """Posts in time order (undated first), then by key: the order a run reads them in."""
    at = post.posted_at
    return (at.timestamp() if at else 0.0, post.key)


def link_sort_key(link: PostLink) -> tuple[float, str]:
    """``post_sort_key`` of a link's post."""
    return post_sort_key(link.post)
