"""The shape of the synthetic data set: companies, groups, sources, campaigns, posts.

Everything here is a pure function of a :class:`Size` (posts, campaigns, seed): the same size
gives the same rows, byte for byte, so benchmark runs compare like with like. The shape follows
what the tracker sees in practice: a few big companies carry most campaigns (Zipf), activity
grows towards recent years, a campaign has several demands, actions and responses, and post
texts have the lengths of real posts on each platform (short on X, longer on Mastodon, long
feed summaries).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from campaigns import codebook as cb
from connectors.base import PostIn

# Bump when the generated rows change, so cached stores are rebuilt.
GENERATOR_VERSION = 1
FETCHED_AT = datetime(2026, 1, 1, tzinfo=UTC)
FIRST_YEAR, LAST_YEAR = 2010, 2025
# The biggest companies first: they get the most campaigns (Zipf over this order).
LEADING = ("amazon", "google", "microsoft", "meta", "apple", "tesla", "uber", "aws", "netflix")
PLATFORM_LENGTH = {
    "x": (160, 280),
    "bluesky": (170, 300),
    "mastodon": (320, 500),
    "feed": (900, 2400),
}
PLATFORM_SHARE = {"x": 0.45, "bluesky": 0.2, "mastodon": 0.2, "feed": 0.15}


@dataclass(frozen=True)
class Size:
    """How big a data set is: its posts, its campaigns, and the seed that fixes every choice."""

    posts: int
    campaigns: int
    seed: int = 1

    @property
    def key(self) -> str:
        return f"p{self.posts}-c{self.campaigns}-s{self.seed}-g{GENERATOR_VERSION}"


def zipf_weights(n: int, exponent: float = 1.1) -> list[float]:
    return [1.0 / (rank**exponent) for rank in range(1, n + 1)]


def ordered_companies(slugs: list[str]) -> list[str]:
    """Registry slugs, the leading companies first (so they carry most of the weight)."""
    lead = [s for s in LEADING if s in slugs]
    return lead + [s for s in slugs if s not in lead]


YEAR_WEIGHTS = [
    (y - FIRST_YEAR + 1) ** 1.3 * (2.0 if 2018 <= y <= 2020 else 1.0)
    for y in range(FIRST_YEAR, LAST_YEAR + 1)
]
YEARS = list(range(FIRST_YEAR, LAST_YEAR + 1))

DEMAND_PHRASES = {
    "end_contract_or_customer": [
        "end the contract with {c}",
        "drop {c} as a customer",
        "stop hosting {c}",
    ],
    "policy_change": [
        "publish a climate plan",
        "end forced arbitration",
        "adopt a remote work policy",
    ],
    "pay_and_benefits": [
        "raise wages by {n} percent",
        "restore the bonus pool",
        "pay overtime for on-call",
    ],
    "recognition": [
        "recognise the union",
        "bargain with the workers' council",
        "stay neutral in the union vote",
    ],
    "personnel": [
        "reinstate the fired organizers",
        "remove the executive",
        "rehire the laid-off contractors",
    ],
    "transparency": [
        "publish the pay audit",
        "disclose the military contracts",
        "release the diversity data",
    ],
    "other": ["meet with the workers", "answer the open letter", "hold an all-hands on the issue"],
}
CUSTOMERS = [
    "ICE",
    "the Pentagon",
    "Parler",
    "the Israeli military",
    "oil majors",
    "CBP",
    "Palantir",
]
ACTION_VERBS = [
    "walked out",
    "signed an open letter",
    "rallied outside HQ",
    "went on strike",
    "filed a petition with {n} signatures",
    "held a teach-in",
]
RESPONSE_VERBS = [
    "declined to comment",
    "said it would review the demand",
    "agreed to the demand",
    "fired two organizers",
    "announced a policy change",
    "met with the group",
]
CHATTER = [
    "Thread on what happened at today's meeting and what comes next.",
    "Solidarity with everyone who showed up this morning, it matters more than you know.",
    "Read our full statement on the company blog, linked below.",
    "Management sent another email about 'values' this week. Our answer is the same.",
    "We are hiring an organizer: tech workers who want to build power, get in touch.",
    "The vote count is in and the turnout broke every record we had.",
    "Reminder: you have the legal right to talk about pay with your coworkers.",
]


@dataclass(frozen=True)
class Group:
    """A worker group with its employer and its accounts."""

    slug: str
    name: str
    company: str
    handles: tuple[tuple[str, str], ...]  # (platform, handle)


def worker_groups(size: Size, companies: list[str], names: dict[str, str]) -> list[Group]:
    """Worker groups, about one per fifty campaigns, spread over companies by the same skew."""
    rng = random.Random(f"{size.seed}-groups")
    count = max(8, min(5000, size.campaigns // 50 + 1))
    weights = zipf_weights(len(companies))
    groups = []
    for i in range(count):
        company = companies[i] if i < len(companies) else rng.choices(companies, weights)[0]
        label = rng.choice(
            [
                "Workers for Justice",
                "Tech Workers Coalition",
                "Workers Union",
                "Employees for Climate Justice",
                "Workers Alliance",
            ]
        )
        name = f"{names[company]} {label} {i}"
        slug = f"bench-group-{i}"
        platforms = rng.sample(["x", "bluesky", "mastodon", "feed"], k=rng.randint(1, 3))
        handles = tuple(
            (
                p,
                f"https://{slug}.example.org/feed.xml"
                if p == "feed"
                else f"{slug.replace('-', '_')}_{p}",
            )
            for p in platforms
        )
        groups.append(Group(slug, name, company, handles))
    return groups


def _date_in(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def coded_rows(
    size: Size,
    companies: list[str],
    company_ids: dict[str, int],
    names: dict[str, str],
    group_ids: dict[str, int],
    groups: list[Group],
    post_count: int,
) -> dict[str, list[dict[str, Any]]]:
    """Rows for campaign, demand, action, response, response_demand and evidence tables."""
    rng = random.Random(f"{size.seed}-coded")
    weights = zipf_weights(len(companies))
    by_company: dict[str, list[Group]] = {}
    for group in groups:
        by_company.setdefault(group.company, []).append(group)
    tables: dict[str, list[dict[str, Any]]] = {
        t: [] for t in ("campaign", "demand", "action", "response", "response_demand", "evidence")
    }
    provenance = {"coded_by": "import:benchmark", "confidence": 0.9, "review_status": "confirmed"}
    struggles, demand_types, tactics = (
        list(cb.STRUGGLE.values),
        list(cb.DEMAND_TYPE.values),
        list(cb.TACTIC.values),
    )
    responses = list(cb.RESPONSE_TYPE.values)
    for i in range(size.campaigns):
        company = rng.choices(companies, weights)[0]
        group = rng.choice(by_company.get(company) or groups)
        year = rng.choices(YEARS, YEAR_WEIGHTS)[0]
        started = _date_in(rng, year)
        cid = f"bench-c{i:07d}"
        demand_type = rng.choice(demand_types)
        phrase = rng.choice(DEMAND_PHRASES[demand_type]).format(
            c=rng.choice(CUSTOMERS), n=rng.randint(3, 20)
        )
        tables["campaign"].append({
            "id": cid, "title": f"{names[company]} workers: {phrase}", "company_id": company_ids[company],
            "business_unit": None, "lead_organization_id": group_ids[group.slug], "struggle": rng.choice(struggles),
            "started_on": started, "retaliation": rng.random() < 0.12, "retaliation_note": None,
            "summary": f"Workers at {names[company]} asked the company to {phrase}. " * rng.randint(1, 3), **provenance,
        })  # fmt: skip
        demand_ids = []
        for d in range(rng.choices([1, 2, 3, 4], [45, 30, 15, 10])[0]):
            did = f"{cid}-d{d}"
            stated = started + timedelta(days=rng.randrange(0, 60))
            outcome = rng.choices(
                ["met", "partially_met", "not_met", "pending", "unknown"], [22, 14, 30, 24, 10]
            )[0]
            resolved = outcome in ("met", "partially_met", "not_met")
            tables["demand"].append({
                "id": did, "campaign_id": cid, "text": phrase if d == 0 else rng.choice(DEMAND_PHRASES[rng.choice(demand_types)]).format(c=rng.choice(CUSTOMERS), n=d),
                "demand_type": demand_type if d == 0 else rng.choice(demand_types), "first_stated_on": stated,
                "outcome": outcome, "outcome_on": stated + timedelta(days=int(rng.expovariate(1 / 90))) if resolved else None,
                "outcome_note": None, "reversed_on": None, **provenance,
            })  # fmt: skip
            demand_ids.append((did, stated))
            tables["evidence"].append({
                "id": f"{did}-e", "record_type": "demand", "record_id": did, "url": f"https://news.example.com/{cid}/{d}",
                "publisher": "news.example.com", "kind": "worker_post" if post_count else "news", "quote": phrase,
                "post_id": rng.randint(1, post_count) if post_count else None, "retrieved_at": FETCHED_AT,
            })  # fmt: skip
        for a in range(rng.choices([1, 2, 3, 4, 5], [30, 30, 20, 12, 8])[0]):
            low = rng.randint(5, 2000)
            tables["action"].append({
                "id": f"{cid}-a{a}", "campaign_id": cid, "tactic": rng.choice(tactics),
                "happened_on": started + timedelta(days=rng.randrange(0, 120)), "online": rng.random() < 0.4,
                "participants_low": low, "participants_high": low + rng.randint(0, 500), "location": None,
                "description": f"Workers {rng.choice(ACTION_VERBS).format(n=low)}.", **provenance,
            })  # fmt: skip
        for r in range(rng.choices([0, 1, 2, 3], [25, 45, 20, 10])[0]):
            rid = f"{cid}-r{r}"
            answered = rng.sample(demand_ids, k=rng.randint(1, len(demand_ids)))
            tables["response"].append({
                "id": rid, "campaign_id": cid, "company_id": company_ids[company], "response_type": rng.choice(responses),
                "responded_on": max(s for _, s in answered) + timedelta(days=int(rng.expovariate(1 / 20))),
                "speaker_role": "spokesperson", "summary": f"{names[company]} {rng.choice(RESPONSE_VERBS)}.", **provenance,
            })  # fmt: skip
            tables["response_demand"].extend(
                {"response_id": rid, "demand_id": did} for did, _ in answered
            )
            tables["evidence"].append({
                "id": f"{rid}-e", "record_type": "response", "record_id": rid, "url": f"https://press.example.com/{rid}",
                "publisher": "press.example.com", "kind": "company_statement", "quote": None, "post_id": None, "retrieved_at": FETCHED_AT,
            })  # fmt: skip
    return tables


def _sentence_pool(rng: random.Random, names: list[str]) -> list[str]:
    pool = list(CHATTER)
    for company in names:
        for phrases in DEMAND_PHRASES.values():
            for phrase in phrases:
                customer, n = rng.choice(CUSTOMERS), rng.randint(3, 20)
                pool.append(f"We demand that {company} {phrase.format(c=customer, n=n)}.")
        for verb in ACTION_VERBS:
            pool.append(
                f"Today {rng.randint(20, 3000)} {company} workers {verb.format(n=rng.randint(100, 9000))}."
            )
        for verb in RESPONSE_VERBS:
            pool.append(f"{company} {verb} after workers spoke up.")
    return pool


def synthetic_posts(
    size: Size, groups: list[Group], names: dict[str, str]
) -> Iterator[tuple[str, PostIn]]:
    """``size.posts`` posts as (source handle, post), in a fixed order; unique per platform id."""
    rng = random.Random(f"{size.seed}-posts")
    accounts = [(p, h, g) for g in groups for p, h in g.handles]
    account_weights = zipf_weights(len(accounts), 0.9)
    pool = _sentence_pool(random.Random(f"{size.seed}-pool"), sorted(set(names.values())))
    lengths = {p: PLATFORM_LENGTH[p] for p in PLATFORM_LENGTH}
    base = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
    span = (datetime(LAST_YEAR, 12, 31, tzinfo=UTC) - base).total_seconds()
    # Draw accounts in chunks: choices() with cumulative weights is fast when asked for many.
    for start in range(0, size.posts, 10_000):
        chosen = rng.choices(accounts, account_weights, k=min(10_000, size.posts - start))
        for offset, (platform, handle, group) in enumerate(chosen):
            i = start + offset
            typical, limit = lengths[platform]
            target = min(limit, int(rng.lognormvariate(0, 0.45) * typical))
            parts: list[str] = []
            used = 0
            while used < target:
                sentence = pool[int(rng.random() * len(pool))]
                parts.append(sentence)
                used += len(sentence) + 1
            text = " ".join(parts)[:limit]
            # Recent years are busier: square-root skew towards the end of the span.
            posted = base + timedelta(seconds=span * (rng.random() ** 0.6))
            reply = rng.random() < 0.1
            author = f"person{int(rng.random() * 50_000)}" if reply else handle
            post_id = _platform_post_id(platform, handle, i)
            yield (
                handle,
                PostIn(
                    platform=platform,
                    platform_post_id=post_id,
                    text=text,
                    author_handle=author,
                    url=post_id
                    if platform == "feed"
                    else f"https://{platform}.example/{author}/{i}",
                    lang="en",
                    posted_at=posted,
                    raw=f'{{"id":"{post_id}","author":"{author}","created_at":"{posted.isoformat()}","group":"{group.slug}"}}',
                ),
            )


def _platform_post_id(platform: str, handle: str, i: int) -> str:
    if platform == "x":
        return str(1_300_000_000_000_000_000 + i * 7919)
    if platform == "mastodon":
        return str(109_000_000_000_000_000 + i * 104729)
    if platform == "bluesky":
        return f"at://did:plc:{handle[:16]}/app.bsky.feed.post/3k{i:012d}"
    return f"{handle.rsplit('/', 1)[0]}/posts/{i}"
