"""The engine against real third-party text: the Collective Action in Tech archive
(../shared/data/collective-action-in-tech, see its SOURCE.md), whose editors describe each
collective action in a few sentences.

Each record with one company should resolve to that company from its description (how much of
the field the registry covers), and a description of a collective action read as a news report
should read as a campaign post, not unrelated news (how well the roles carry over to text the
engine was not written against).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from campaigns.cat_import import COMPANIES, MISSING
from campaigns.linking.companies import CompanyResolver
from campaigns.linking.engine import LinkingEngine
from campaigns.linking.model import PostInput
from campaigns.registry import load_registry
from campaigns.text import normalize_name
from tests.conftest import CAT_ACTIONS, skip_or_fail

MIN_SHARE = 0.92  # 0.937 when written (0.858 before the registry grew to the archive's employers)
MAX_UNRELATED = 0.1  # 21 of 506 (0.04) read as unrelated news when written


def _records() -> list[dict[str, object]]:
    if not CAT_ACTIONS.exists():
        skip_or_fail(f"the Collective Action in Tech archive is not at {CAT_ACTIONS}")
    return list(json.loads(CAT_ACTIONS.read_text(encoding="utf-8")))


def _gold(resolver: CompanyResolver, archive_name: str) -> str:
    """The registry slug the archive's company name stands for, or the name when unknown."""
    key = archive_name.strip().lower()
    display = COMPANIES.get(key, (archive_name, None))[0]
    for value in (key.replace("_", " "), display):
        name = resolver.names.get(normalize_name(value))
        if name is not None:
            return name.slug
    return f"unknown:{key}"


def test_the_registry_resolves_the_archive_companies_from_their_descriptions() -> None:
    resolver = CompanyResolver(load_registry())
    pairs = []
    for record in _records():
        companies = record.get("companies") or []
        assert isinstance(companies, list)
        names = [n for n in companies if n.strip().lower() not in MISSING]
        if len(names) == 1 and record.get("description"):
            found = resolver.resolve(str(record["description"]), source_kind="news").slug
            pairs.append((_gold(resolver, names[0]), found))
    assert len(pairs) >= 300
    right = sum(gold == found for gold, found in pairs)
    missed = sorted({gold for gold, found in pairs if gold != found})
    assert right / len(pairs) >= MIN_SHARE, (right, len(pairs), missed)


def test_the_archive_descriptions_read_as_campaign_posts() -> None:
    posts = []
    for record in _records():
        if not record.get("description"):
            continue
        year, month, day = ([*str(record["date"]).split("/"), "1", "1"])[:3]
        posts.append(
            PostInput(
                key=str(record["id"]),
                text=str(record["description"]),
                posted_at=datetime(int(year), int(month or 1), int(day or 1), tzinfo=UTC),
                platform="feed",
                author_handle="news.example.org",
                url=f"https://news.example.org/{record['id']}",
                source_kind="news",
            )
        )
    assert len(posts) >= 400
    roles = [link.role for link in LinkingEngine().analyse_many(posts)]
    unrelated = roles.count("other") / len(roles)
    assert unrelated <= MAX_UNRELATED, unrelated
    assert roles.count("action") > len(roles) / 2  # the archive records actions
