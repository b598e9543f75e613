"""The shipped registry against real third-party data: the companies of the Collective Action
in Tech archive (../shared/data/collective-action-in-tech, see its SOURCE.md).

Each archive record with one company has a description written by the archive's editors; the
resolver reading that description should find the record's company. The share found measures
how much of the field the registry covers, on text the engine was not written against.
"""

from __future__ import annotations

import json

from campaigns.cat_import import COMPANIES, MISSING
from campaigns.linking.companies import CompanyResolver
from campaigns.registry import load_registry
from campaigns.text import normalize_name
from tests.conftest import CAT_ACTIONS, skip_or_fail

MIN_SHARE = 0.92  # 0.937 when written (0.858 before the registry grew to the archive's employers)


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
    if not CAT_ACTIONS.exists():
        skip_or_fail(f"the Collective Action in Tech archive is not at {CAT_ACTIONS}")
    resolver = CompanyResolver(load_registry())
    records = json.loads(CAT_ACTIONS.read_text(encoding="utf-8"))
    pairs = []
    for record in records:
        names = [n for n in record.get("companies") or [] if n.strip().lower() not in MISSING]
        if len(names) == 1 and record.get("description"):
            found = resolver.resolve(record["description"], source_kind="news").slug
            pairs.append((_gold(resolver, names[0]), found))
    assert len(pairs) >= 300
    right = sum(gold == found for gold, found in pairs)
    missed = sorted({gold for gold, found in pairs if gold != found})
    assert right / len(pairs) >= MIN_SHARE, (right, len(pairs), missed)
