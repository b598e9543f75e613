"""Hand edits: only editors write, rules are checked before anything is saved, all audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from campaigns import editing
from campaigns.edit_rules import EditRefused
from campaigns.imports import import_campaigns_csv
from campaigns.record_views import campaign_records, record_history
from db.models import AuditEntry, Campaign, Demand, Evidence, Response, ResponseDemand
from tests.factories import demand_row, write_csv

EDITOR = "human:tester"
TODAY = date(2026, 11, 23)


@pytest.fixture
def parler(engine: Engine, tmp_path: Path) -> Engine:
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", [demand_row()]))
    return engine


def audit_count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def demand(engine: Engine, demand_id: str = "aecj-parler-2021-d1") -> Demand:
    with Session(engine) as session:
        found = session.get(Demand, demand_id)
        assert found is not None
        return found


def test_correct_outcome_is_saved_and_audited(parler: Engine) -> None:
    change = editing.correct_outcome(
        parler,
        "aecj-parler-2021-d1",
        "partially_met",
        date(2021, 1, 12),
        editor=EDITOR,
        today=TODAY,
    )
    assert change == "updated"
    saved = demand(parler)
    assert (saved.outcome, saved.outcome_on) == ("partially_met", date(2021, 1, 12))
    history = record_history(parler, "demand", "aecj-parler-2021-d1")
    latest = history[history["actor"] == EDITOR]
    assert set(latest["field"]) == {"outcome", "outcome_on"}
    row = latest[latest["field"] == "outcome"].iloc[0]
    assert (row["old_value"], row["new_value"]) == ("met", "partially_met")


def test_outcome_before_the_demand_is_refused_and_nothing_saved(parler: Engine) -> None:
    before = audit_count(parler)
    with pytest.raises(EditRefused) as refused:
        editing.correct_outcome(
            parler, "aecj-parler-2021-d1", "met", date(2020, 12, 31), editor=EDITOR, today=TODAY
        )
    assert "before the demand date 2021-01-09" in " ".join(refused.value.reasons)
    assert demand(parler).outcome_on == date(2021, 1, 10)
    assert audit_count(parler) == before


@pytest.mark.parametrize(
    ("outcome", "outcome_on", "reason"),
    [
        ("pending", date(2021, 2, 1), "pending demand has no outcome date"),
        ("won", None, "is not one of"),
        ("met", date(2027, 1, 1), "in the future"),
    ],
)
def test_rule_breaking_outcomes_are_refused(
    parler: Engine, outcome: str, outcome_on: date | None, reason: str
) -> None:
    with pytest.raises(EditRefused, match=reason):
        editing.correct_outcome(
            parler, "aecj-parler-2021-d1", outcome, outcome_on, editor=EDITOR, today=TODAY
        )
    assert demand(parler).outcome == "met"


def test_without_an_editor_every_write_is_refused(parler: Engine) -> None:
    before = audit_count(parler)
    attempts = [
        lambda: editing.correct_outcome(
            parler, "aecj-parler-2021-d1", "not_met", None, editor=None
        ),
        lambda: editing.add_campaign(parler, editor=None, title="T", company="Amazon"),
        lambda: editing.correct_campaign(parler, "aecj-parler-2021", editor=None, title="X"),
        lambda: editing.add_demand(
            parler,
            "aecj-parler-2021",
            editor=None,
            text="t",
            demand_type=None,
            first_stated_on=None,
        ),
        lambda: editing.correct_demand(parler, "aecj-parler-2021-d1", editor="", text="x"),
        lambda: editing.add_action(parler, "aecj-parler-2021", editor=None, tactic="strike"),
        lambda: editing.add_response(
            parler,
            "aecj-parler-2021",
            editor=None,
            response_type="reject",
            responded_on=None,
            demand_ids=[],
        ),
        lambda: editing.add_evidence(
            parler,
            editor=None,
            record_type="campaign",
            record_id="aecj-parler-2021",
            url="https://example.org/a",
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionError):
            attempt()
    assert audit_count(parler) == before
    assert demand(parler).outcome == "met"


def test_add_campaign_demand_action_response_and_evidence(parler: Engine) -> None:
    campaign_id = editing.add_campaign(
        parler,
        editor=EDITOR,
        title="Drop the contract",
        company="AWS",
        struggle="ethics",
        worker_group="Tech Workers Coalition",
        started_on=date(2024, 5, 1),
        today=TODAY,
    )
    demand_id = editing.add_demand(
        parler,
        campaign_id,
        editor=EDITOR,
        text="End the contract.",
        demand_type="end_contract_or_customer",
        first_stated_on=date(2024, 5, 1),
        today=TODAY,
    )
    action_id = editing.add_action(
        parler,
        campaign_id,
        editor=EDITOR,
        tactic="petition",
        happened_on=date(2024, 5, 2),
        participants_low=100,
        participants_high=300,
        today=TODAY,
    )
    response_id = editing.add_response(
        parler,
        campaign_id,
        editor=EDITOR,
        response_type="statement",
        responded_on=date(2024, 5, 3),
        demand_ids=[demand_id],
        summary="We hear you.",
        today=TODAY,
    )
    assert (
        editing.add_evidence(
            parler,
            editor=EDITOR,
            record_type="response",
            record_id=response_id,
            url="https://example.org/statement",
        )
        == "created"
    )
    found = campaign_records(parler, campaign_id)
    assert found is not None
    assert found.campaign.company_id is not None and found.campaign.review_status == "confirmed"
    assert [d.id for d in found.demands] == [demand_id]
    assert found.demands[0].outcome == "pending"
    assert [a.id for a in found.actions] == [action_id]
    assert found.answers == {response_id: [demand_id]}
    with Session(parler) as session:
        assert session.get(Campaign, campaign_id).coded_by == EDITOR  # type: ignore[union-attr]
        assert session.get(Response, response_id).company_id == found.campaign.company_id  # type: ignore[union-attr]
        assert session.get(ResponseDemand, (response_id, demand_id)) is not None
        evidence = [e.record_id for e in session.execute(select(Evidence)).scalars()]
        assert response_id in evidence
    for record_type, record_id in [("campaign", campaign_id), ("action", action_id)]:
        assert (record_history(parler, record_type, record_id)["actor"] == EDITOR).all()


def test_response_before_the_demand_it_answers_is_refused(parler: Engine) -> None:
    with pytest.raises(EditRefused, match="before the demand it answers"):
        editing.add_response(
            parler,
            "aecj-parler-2021",
            editor=EDITOR,
            response_type="reject",
            responded_on=date(2020, 1, 1),
            demand_ids=["aecj-parler-2021-d1"],
            today=TODAY,
        )
    with Session(parler) as session:
        count = session.execute(select(func.count()).select_from(Response)).scalar_one()
    assert count == 1  # only the imported one


def test_other_rules_are_refused_with_reasons(parler: Engine) -> None:
    with pytest.raises(EditRefused, match="low estimate is above the high"):
        editing.add_action(
            parler,
            "aecj-parler-2021",
            editor=EDITOR,
            tactic="walkout",
            participants_low=50,
            participants_high=10,
        )
    with pytest.raises(EditRefused, match="not an http"):
        editing.add_evidence(
            parler,
            editor=EDITOR,
            record_type="demand",
            record_id="aecj-parler-2021-d1",
            url="javascript:alert(1)",
        )
    with pytest.raises(EditRefused, match="title is required"):
        editing.correct_campaign(parler, "aecj-parler-2021", editor=EDITOR, title="  ")
    with pytest.raises(EditRefused, match="cannot be edited here"):
        editing.correct_campaign(parler, "aecj-parler-2021", editor=EDITOR, company_id=5)
    with pytest.raises(EditRefused, match="no demand"):
        editing.correct_outcome(parler, "nope", "met", None, editor=EDITOR)
    with pytest.raises(EditRefused, match="not a demand of this campaign"):
        editing.add_response(
            parler,
            "aecj-parler-2021",
            editor=EDITOR,
            response_type="reject",
            responded_on=None,
            demand_ids=["other-d1"],
        )


def test_changing_the_demand_date_past_its_outcome_is_refused(parler: Engine) -> None:
    with pytest.raises(EditRefused, match="before the demand date"):
        editing.correct_demand(
            parler, "aecj-parler-2021-d1", editor=EDITOR, first_stated_on=date(2021, 2, 1)
        )
    assert demand(parler).first_stated_on == date(2021, 1, 9)


def test_history_is_newest_first_with_who_and_what(parler: Engine) -> None:
    editing.correct_campaign(parler, "aecj-parler-2021", editor=EDITOR, title="Drop Parler")
    history = record_history(parler, "campaign", "aecj-parler-2021")
    first = history.iloc[0]
    assert (first["actor"], first["field"], first["new_value"]) == (EDITOR, "title", "Drop Parler")
    assert first["old_value"] == "Stop hosting Parler"
    assert history.iloc[-1]["field"] == "(created)"


def test_correct_action_and_response_are_checked_and_audited(parler: Engine) -> None:
    action_id = editing.add_action(
        parler, "aecj-parler-2021", editor=EDITOR, tactic="protest", happened_on=date(2021, 1, 8)
    )
    assert (
        editing.correct_action(parler, action_id, editor=EDITOR, description="Rally at HQ")
        == "updated"
    )
    with pytest.raises(EditRefused, match="is not one of"):
        editing.correct_action(parler, action_id, editor=EDITOR, tactic="riot")
    found = campaign_records(parler, "aecj-parler-2021")
    assert found is not None
    response_id = found.responses[0].id
    with pytest.raises(EditRefused, match="before the demand it answers"):
        editing.correct_response(parler, response_id, editor=EDITOR, responded_on=date(2021, 1, 1))
    assert (
        editing.correct_response(parler, response_id, editor=EDITOR, response_type="statement")
        == "updated"
    )
    with pytest.raises(PermissionError):
        editing.correct_response(parler, response_id, editor=None, response_type="reject")
    history = record_history(parler, "response", response_id)
    assert history.iloc[0]["field"] == "response_type"
    assert history.iloc[0]["new_value"] == "statement" and history.iloc[0]["actor"] == EDITOR
