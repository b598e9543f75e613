"""A post that names its employer in words the registry does not know gets no company, not the
company of a campaign its words happen to match; `campaigns link` names the employer so a user
can add it, and after `campaigns companies add` and `link --again` the post is read at it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from campaigns.cli import app
from campaigns.linking.engine import LinkingEngine
from campaigns.linking.model import PostInput
from tests.linking.helpers import insert_posts, post_row

runner = CliRunner()

# An Uber drivers' strike (real campaigns of this shape: Uber drivers' strike, May 2019) and a
# walkout at a made-up employer the registry cannot know, with many of the same words.
UBER_STRIKE = post_row(
    "1500000000000000001",
    "Uber drivers strike today: we demand a 30% raise in per-mile pay and an end to unfair "
    "deactivations.",
    "2022-03-01T10:00:00+00:00",
    author_handle="driversunited",
)
UNKNOWN_WALKOUT = post_row(
    "1500000000000000002",
    "Workers at Acme Widgets walk out today: we demand a raise and an end to unfair firings.",
    "2022-03-05T10:00:00+00:00",
    author_handle="acmeworkers",
)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Workers at Acme Widgets walk out today", "Acme Widgets"),
        ("Zentrix Logistics couriers strike over pay and deactivations", "Zentrix Logistics"),
        (
            "drivers for Brightline Delivery say the new pay model cuts their earnings",
            "Brightline Delivery",
        ),
        # known companies, sites, groups of workers and sentence starts name no unknown employer
        ("Workers at Google walk out", None),
        ("Workers at Whole Foods Market vote", None),
        ("Workers at JFK8 vote on Friday", None),
        ("Black workers at Tesla's factory", None),
        ("Tech workers unite", None),
        ("Our workers at the warehouse", None),
    ],
)
def test_the_employer_a_post_names_that_the_registry_does_not_know(
    linker: LinkingEngine, text: str, named: str | None
) -> None:
    assert linker.resolver.unknown_employer(text) == named


def test_a_post_naming_an_unknown_employer_gets_no_company(linker: LinkingEngine) -> None:
    posts = [
        PostInput(
            key=row["platform_post_id"],
            text=row["text"],
            posted_at=datetime.fromisoformat(row["posted_at"]).astimezone(UTC),
            author_handle=row["author_handle"],
            source_kind="worker_group",
        )
        for row in (UBER_STRIKE, UNKNOWN_WALKOUT)
    ]
    strike, walkout = linker.run(posts).links
    assert strike.company == "uber" and strike.campaign_key
    assert walkout.company is None and walkout.campaign_key is None
    assert walkout.unknown_employer == "Acme Widgets"
    assert any("'Acme Widgets'" in reason for reason in walkout.reasons)


def test_link_names_the_unknown_employer_and_reads_it_once_added(cli_store: Engine) -> None:
    insert_posts(cli_store, [UBER_STRIKE, UNKNOWN_WALKOUT])
    linked = runner.invoke(app, ["link"])
    assert linked.exit_code == 0, linked.output
    assert "Acme Widgets (1 post)" in linked.output
    assert "campaigns companies add NAME" in linked.output
    listed = json.loads(runner.invoke(app, ["review", "list", "--json"]).output)
    assert [row["proposal"]["company"] for row in listed] == ["uber"]

    added = runner.invoke(app, ["companies", "add", "Acme Widgets"])
    assert added.exit_code == 0, added.output
    again = runner.invoke(app, ["link", "--again"])
    assert again.exit_code == 0 and "Acme Widgets (" not in again.output
    listed = json.loads(runner.invoke(app, ["review", "list", "--json"]).output)
    assert sorted(row["proposal"]["company"] for row in listed) == ["acme-widgets", "uber"]
