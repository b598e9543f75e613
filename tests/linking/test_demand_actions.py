"""A demand whose post reports an action too ("today 150 of us walked off the job: $5 more an
hour") proposes the action beside the demand, so the campaign's tactics keep it; accepting
creates both with the post as evidence, and the reviewer can drop or add the action."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns.linking.engine import LinkingEngine
from campaigns.linking.suggest import link_posts
from campaigns.review import NONE, ReviewError, accept, edit, list_suggestions
from db.models import Action, Demand, Evidence
from tests.linking.helpers import insert_posts, post_input, post_row

# Amazon's KSBD air hub, San Bernardino, 2022: the August walkout for $5 more an hour
# (https://www.latimes.com/california/story/2022-08-15/amazon-air-hub-workers-walk-off-job),
# written here in our own words.
WALKOUT = post_row(
    "1990000000000000001",
    "Today more than 150 of us walked off the job at Amazon's KSBD air hub. We demand $5 more "
    "an hour and real protection from the heat.",
    "2022-08-15T15:00:00+00:00",
)
DEMAND_ONLY = post_row(
    "1990000000000000002",
    "We demand that Amazon pay KSBD workers $5 more an hour. #IEAmazonWorkers",
    "2022-07-15T15:00:00+00:00",
)
BACKGROUND = post_row(
    "1990000000000000003",
    "Since the walkout in March we have one demand: Amazon must pay KSBD workers $5 more an hour.",
    "2022-05-15T15:00:00+00:00",
)


@pytest.mark.parametrize(
    ("row", "tactic"), [(WALKOUT, "walkout"), (DEMAND_ONLY, None), (BACKGROUND, None)]
)
def test_a_demand_post_that_reports_an_action_carries_its_tactic(
    linker: LinkingEngine, row: dict[str, str], tactic: str | None
) -> None:
    (link,) = linker.run([post_input(row)]).links
    assert link.role == "demand"
    assert link.tactic == tactic
    assert any(r.startswith("also reports an action") for r in link.reasons) == bool(tactic)


def test_accepting_the_demand_creates_the_action_with_its_evidence(engine: Engine) -> None:
    (post_id,) = insert_posts(engine, [WALKOUT])
    link_posts(engine)
    (row,) = list_suggestions(engine)
    assert row["role"] == "demand"
    assert row["proposal"]["action"]["tactic"] == "walkout"
    accept(engine, [row["id"]], reviewer="human:ana")
    with Session(engine) as session:
        (demand,) = session.exec(select(Demand)).all()
        (action,) = session.exec(select(Action)).all()
        assert action.tactic == "walkout" and action.campaign_id == demand.campaign_id
        assert str(action.happened_on) == "2022-08-15"
        cited = session.exec(select(Evidence).where(Evidence.record_id == action.id)).all()
        assert [e.post_id for e in cited] == [post_id]


def test_the_reviewer_drops_the_action_or_adds_one(engine: Engine) -> None:
    insert_posts(engine, [WALKOUT, DEMAND_ONLY])
    link_posts(engine)
    rows = {s["post_url"].rsplit("/", 1)[1]: s for s in list_suggestions(engine)}
    walkout, demand_only = rows[WALKOUT["platform_post_id"]], rows[DEMAND_ONLY["platform_post_id"]]
    proposal = edit(engine, walkout["id"], {"tactic": NONE}, reviewer="human:ana")
    assert "action" not in proposal
    # the other demand's post reports a petition, says the reviewer: it is written on accept
    edit(engine, demand_only["id"], {"tactic": "petition"}, reviewer="human:ana")
    accept(engine, [walkout["id"], demand_only["id"]], reviewer="human:ana")
    with Session(engine) as session:
        assert len(session.exec(select(Demand)).all()) >= 1
        (action,) = session.exec(select(Action)).all()
        assert action.tactic == "petition"


def test_an_action_cannot_lose_its_tactic(engine: Engine) -> None:
    letter = post_row(
        "1990000000000000004",
        "Hundreds of Amazon workers walked off the job at the KSBD air hub this afternoon.",
        "2022-08-15T21:00:00+00:00",
        kind="news",
    )
    insert_posts(engine, [letter])
    link_posts(engine)
    (row,) = list_suggestions(engine)
    assert row["role"] == "action"
    with pytest.raises(ReviewError, match="cannot be none"):
        edit(engine, row["id"], {"tactic": NONE}, reviewer="human:ana")
