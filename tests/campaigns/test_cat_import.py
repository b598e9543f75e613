"""`campaigns import cat`: the Collective Action in Tech archive as campaigns, actions, evidence."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from campaigns.cat_import import import_cat_archive, tactic_for
from campaigns.codebook import rollup_status
from campaigns.csvsafe import restore
from campaigns.exports import export_bundle
from campaigns.registry import find_company
from db.models import Action, AuditEntry, Campaign, Company, Demand, Evidence
from tests.conftest import CAT_ACTIONS, skip_or_fail


def count(session: Session, model: type) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def archive() -> Path:
    if not CAT_ACTIONS.is_file():
        skip_or_fail(f"the Collective Action in Tech archive is not at {CAT_ACTIONS}")
    return CAT_ACTIONS


def test_archive_imports_506_actions_with_865_source_urls_and_reimport_changes_nothing(
    engine, archive, tmp_path
):
    records = json.loads(archive.read_text(encoding="utf-8"))
    distinct_urls = {u.strip() for r in records for u in (r["sources"] or []) if u and u.strip()}

    summary = import_cat_archive(engine, archive)
    assert summary.records == len(records) == 506
    with Session(engine) as session:
        assert count(session, Action) == 506
        assert count(session, Campaign) == 506
        assert count(session, Demand) == 0
        urls = set(session.execute(select(Evidence.url)).scalars())
        assert urls == distinct_urls and len(urls) == 865
        audit_before = count(session, AuditEntry)

    again = import_cat_archive(engine, archive)
    assert again.changed == 0
    with Session(engine) as session:
        assert count(session, AuditEntry) == audit_before
        assert count(session, Evidence) == sum(summary.changes["evidence"].values())

    result = export_bundle(engine, tmp_path / "out")
    assert result.files["actions.csv"] == 506
    with (tmp_path / "out" / "evidence.csv").open(encoding="utf-8") as handle:
        evidence = list(csv.DictReader(handle))
    assert {restore(row["url"]) for row in evidence} == distinct_urls  # formula guard undone
    assert {row["record_type"] for row in evidence} == {"action"}
    with (tmp_path / "out" / "campaigns.csv").open(encoding="utf-8") as handle:
        assert {row["status"] for row in csv.DictReader(handle)} == {rollup_status([])}


def test_archive_companies_meet_their_parents(engine, archive):
    import_cat_archive(engine, archive)
    with Session(engine) as session:
        companies = {c.id: c for c in session.execute(select(Company)).scalars()}

        def top(name: str) -> str:
            company = find_company(session, name)
            assert company is not None, name
            while company.parent_id is not None:
                company = companies[company.parent_id]
            return company.slug

        assert top("google") == top("alphabet") == "alphabet"
        assert top("whole foods market") == "amazon"
        records = json.loads(archive.read_text(encoding="utf-8"))
        no_company = [
            r["id"] for r in records if not [c for c in (r["companies"] or []) if c != "na"]
        ]
        assert no_company  # the archive has records with no company: they still import
        campaign = session.get(Campaign, f"cat-{no_company[0]}")
        assert campaign is not None and campaign.company_id is None


def test_gaps_in_a_record_are_kept_as_unknown(engine, tmp_path):
    path = tmp_path / "actions.json"
    path.write_text(
        json.dumps(
            [
                {
                    "id": 1,
                    "date": "2019/11/22",
                    "sources": ["https://example.org/a", "", "https://example.org/a"],
                    "actions": ["union representation", "protest"],
                    "struggles": ["na"],
                    "description": "Walkout.",
                    "online": None,
                    "locations": None,
                    "companies": ["na"],
                    "workers": None,
                },
                {
                    "id": 2,
                    "date": "2020/05/01",
                    "sources": ["https://example.org/b"],
                    "actions": ["resources"],
                    "struggles": ["pay and benefits"],
                    "description": "",
                    "online": True,
                    "locations": ["berlin-germany", "paris-france"],
                    "companies": ["whole_foods"],
                    "workers": 40,
                },
            ]
        )
    )
    import_cat_archive(engine, path)
    with Session(engine) as session:
        first = session.get(Action, "cat-1-action")
        second = session.get(Action, "cat-2-action")
        assert first is not None and second is not None
        assert (first.tactic, first.participants_low, first.location, first.online) == (
            "union_drive",
            None,
            None,
            None,
        )
        assert (second.tactic, second.participants_high, second.location, second.online) == (
            "other",
            40,
            "berlin-germany; paris-france",
            True,
        )
        assert session.get(Campaign, "cat-1").struggle is None
        assert count(session, Evidence) == 2


def test_tactic_is_the_first_word_that_maps():
    assert tactic_for(["resources", "open letter"]) == "open_letter"
    assert tactic_for(["boycott"]) == "other"
    assert tactic_for([]) == "other"
