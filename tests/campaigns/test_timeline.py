"""A campaign's page content: timeline in date order with evidence, demands with responses."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from campaigns import editing
from campaigns.imports import import_campaigns_csv
from campaigns.timeline import load_campaign_detail
from db.engine import session_scope
from db.models import CampaignRelation
from tests.factories import campaign_rows, demand_row, write_csv

EDITOR = "human:tester"


def test_timeline_orders_events_and_carries_evidence(engine: Engine, tmp_path: Path) -> None:
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", [demand_row()]))
    editing.add_action(
        engine,
        "aecj-parler-2021",
        editor=EDITOR,
        tactic="online_campaign",
        happened_on=date(2021, 1, 8),
        description="Posts calling on AWS",
    )
    editing.add_evidence(
        engine,
        editor=EDITOR,
        record_type="demand",
        record_id="aecj-parler-2021-d1",
        url="https://example.org/post",
    )
    with Session(engine) as session:
        detail = load_campaign_detail(session, "aecj-parler-2021")
    assert detail is not None
    assert detail.campaign["title"] == "Stop hosting Parler"
    assert detail.campaign["status"] == "won"
    assert detail.campaign["parent_company"] is None  # Amazon is its own top parent
    kinds = list(detail.timeline["kind"])
    assert kinds == [
        "action",
        "campaign",
        "demand",
        "response",
        "outcome",
        "action",
    ]  # undated last
    assert list(detail.timeline["date"])[:3] == [
        date(2021, 1, 8),
        date(2021, 1, 9),
        date(2021, 1, 9),
    ]
    demand_event = detail.timeline[detail.timeline["kind"] == "demand"].iloc[0]
    assert demand_event["sources"] == 2 and demand_event["evidence"].startswith("https://")
    response_event = detail.timeline[detail.timeline["kind"] == "response"].iloc[0]
    assert response_event["sources"] == 2  # reported in the demand's sources
    row = detail.demands.iloc[0]
    assert row["days_to_outcome"] == 1
    assert row["responses"].startswith("2021-01-09 full_concession: AWS told Parler")
    assert len(detail.evidence) == 2


def test_related_campaigns_both_ways(engine: Engine, tmp_path: Path) -> None:
    rows = [*campaign_rows("a", ["met"]), *campaign_rows("b", ["pending"])]
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", rows))
    with session_scope(engine) as session:
        session.add(
            CampaignRelation(campaign_id="b", related_campaign_id="a", relation="continues")
        )
    with Session(engine) as session:
        a = load_campaign_detail(session, "a")
        b = load_campaign_detail(session, "b")
        missing = load_campaign_detail(session, "zzz")
    assert a is not None and b is not None and missing is None
    assert b.related.to_dict("records") == [
        {"campaign_id": "a", "title": "Campaign a", "relation": "continues"}
    ]
    assert a.related.iloc[0]["relation"] == "continues (this one)"
