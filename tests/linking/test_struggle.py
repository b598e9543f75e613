"""Each campaign the engine proposes says what it is about (its struggle), read from the words
of its posts; the Overview's "By struggle" tab and the similar-campaigns list use it. Accepting
fills a campaign's struggle only while it has none, and a reviewer can change it first."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns.evaluation import LabelledPost, struggle_scores
from campaigns.linking import engine as engine_module
from campaigns.linking.engine import LinkingEngine
from campaigns.linking.suggest import link_posts
from campaigns.review import accept_all, edit, list_suggestions
from db.models import Campaign
from tests.linking.helpers import PARLER, insert_posts, post_input, post_row, read_jsonl

# Google's remote BOLD interns asked in 2021 for a stipend in place of the relocation money a
# remote summer did away with, and won $5,000 each
# (https://www.protocol.com/policy/google-interns-won-stipend), written here in our own words.
STIPEND = [
    post_row(
        "1390000000000000001",
        "Google's BOLD interns are working from their bedrooms this summer and the relocation "
        "money went with the office. We are asking Google to pay each intern a $5,000 stipend "
        "for rent, internet and childcare.",
        "2021-04-27T16:00:00+00:00",
        author_handle="AlphabetWorkers",
    ),
    post_row(
        "1390000000000000002",
        "The interns' stipend petition passed 1,500 signatures. Pay them what the summer costs, "
        "Google.",
        "2021-05-04T16:00:00+00:00",
        author_handle="AlphabetWorkers",
    ),
]


def _struggles(linker: LinkingEngine, rows: list[dict[str, Any]]) -> set[str | None]:
    run = linker.run([post_input(row) for row in rows])
    return {run.campaigns[link.campaign_key].struggle for link in run.links if link.campaign_key}


def test_a_pay_campaign_and_an_ethics_campaign(linker: LinkingEngine) -> None:
    assert _struggles(linker, STIPEND) == {"pay_and_benefits"}
    assert _struggles(linker, read_jsonl(PARLER)) == {"ethics"}
    run = linker.run([post_input(row) for row in STIPEND])
    reasons = " ".join(run.links[0].reasons)
    assert "campaign about pay_and_benefits: read from the words of 2 of its posts" in reasons


def test_the_proposal_carries_it_and_accepting_fills_it(engine: Engine) -> None:
    insert_posts(engine, read_jsonl(PARLER))
    link_posts(engine)
    rows = list_suggestions(engine)
    assert {row["proposal"]["campaign"]["struggle"] for row in rows} == {"ethics"}
    accept_all(engine, min_score=0.0, reviewer="human:reviewer")
    with Session(engine) as session:
        assert [c.struggle for c in session.exec(select(Campaign))] == ["ethics"]


def test_a_reviewer_changes_it_before_accepting(engine: Engine) -> None:
    insert_posts(engine, read_jsonl(PARLER))
    link_posts(engine)
    first = min(row["id"] for row in list_suggestions(engine))
    proposal = edit(engine, first, {"struggle": "working_conditions"}, reviewer="human:reviewer")
    assert proposal["campaign"]["struggle"] == "working_conditions"
    accept_all(engine, min_score=0.0, reviewer="human:reviewer")
    with Session(engine) as session:
        # the edited suggestion is accepted first (its post came first): its struggle stands
        assert [c.struggle for c in session.exec(select(Campaign))] == ["working_conditions"]


def test_struggle_scores_count_campaign_posts_only(linker: LinkingEngine) -> None:
    rows = [
        *STIPEND,
        post_row("1390000000000000003", "lunch was nice", "2021-05-05T16:00:00+00:00"),
    ]
    run = linker.run([post_input(row) for row in rows])
    labelled = [
        LabelledPost(post_input(rows[0]), {"role": "demand", "campaign": "bold"}),
        LabelledPost(post_input(rows[1]), {"role": "action", "campaign": "bold"}),
        LabelledPost(post_input(rows[2]), {"role": "other", "campaign": None}),
    ]
    assert struggle_scores(labelled, run, {"bold": "pay_and_benefits"}) == {
        "accuracy": 1.0,
        "n": 2.0,
        "proposed": 1.0,
        "accuracy_where_proposed": 1.0,
    }
    assert struggle_scores(labelled, run, {"bold": "ethics"})["accuracy"] == 0.0


def test_below_the_floor_the_struggle_is_left_to_the_reviewer(
    linker: LinkingEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "STRUGGLE_FLOOR", 0.99)
    run = linker.run([post_input(row) for row in STIPEND])
    assert {campaign.struggle for campaign in run.campaigns.values()} == {None}
    reasons = " ".join(run.links[0].reasons)
    assert "left to the reviewer: the likeliest, pay_and_benefits, has p=" in reasons


def test_review_edit_struggle_on_the_command_line(engine: Engine, db_url: str) -> None:
    from typer.testing import CliRunner

    from campaigns.cli import app

    insert_posts(engine, read_jsonl(PARLER))
    link_posts(engine)
    first = min(row["id"] for row in list_suggestions(engine))
    env = {"DATABASE_URL": db_url}
    args = ["review", "edit", str(first), "--struggle"]
    result = CliRunner().invoke(app, [*args, "discrimination"], env=env)
    assert result.exit_code == 0, result.output
    assert '"struggle": "discrimination"' in result.output
    result = CliRunner().invoke(app, [*args, "vibes"], env=env)
    assert result.exit_code == 1 and "struggle must be one of" in result.output


def test_a_campaign_coded_already_keeps_its_struggle_in_new_proposals(engine: Engine) -> None:
    """After the Parler campaign is accepted and a person recodes its struggle, a later post of
    the campaign proposes the struggle as coded, not the engine's reading."""
    insert_posts(engine, read_jsonl(PARLER))
    link_posts(engine)
    accept_all(engine, min_score=0.0, reviewer="human:reviewer")
    with Session(engine) as session:
        campaign = session.exec(select(Campaign)).one()
        campaign.struggle = "working_conditions"
        session.add(campaign)
        session.commit()
        key = campaign.id
    later = post_row(
        "1348700000000000001",
        "We asked Amazon to stop hosting Parler on AWS and it did. Thank you to every Amazon "
        "worker who spoke up this weekend.",
        "2021-01-11T16:00:00+00:00",
        author_handle="AMZNforClimate",
    )
    insert_posts(engine, [later])
    link_posts(engine)
    (row,) = [r for r in list_suggestions(engine) if r["campaign_id"] == key]
    assert row["proposal"]["campaign"]["struggle"] == "working_conditions"
    assert "the campaign is coded as about working_conditions already" in row["reasons"]
    assert not [r for r in row["reasons"] if r.startswith("campaign about ")]
