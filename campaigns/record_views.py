"""Reading records for the edit forms and the audit history (no editor needed to read)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns import records
from db.models import Action, Campaign, Demand, Response, ResponseDemand

HISTORY_COLUMNS = ["at", "actor", "field", "old_value", "new_value"]


def record_history(engine: Engine, record_type: str, record_id: str) -> pd.DataFrame:
    """A record's audit history, newest first (who changed which field, from what to what)."""
    with Session(engine) as session:
        entries = records.history(session, record_type, record_id)
    frame = pd.DataFrame(
        [{name: getattr(e, name) for name in HISTORY_COLUMNS} for e in entries],
        columns=HISTORY_COLUMNS,
    )
    return frame.iloc[::-1].reset_index(drop=True)


@dataclass
class CampaignRecords:
    """A campaign's records as stored, for the edit forms (read only; no editor needed)."""

    campaign: Campaign
    demands: list[Demand]
    actions: list[Action]
    responses: list[Response]
    answers: dict[str, list[str]]  # response id -> demand ids


def campaign_records(engine: Engine, campaign_id: str) -> CampaignRecords | None:
    """The campaign with its demands, actions and responses, or None when unknown."""
    with Session(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            return None
        demands = list(
            session.exec(
                select(Demand).where(Demand.campaign_id == campaign_id).order_by(Demand.id)
            )
        )
        actions = list(
            session.exec(
                select(Action).where(Action.campaign_id == campaign_id).order_by(Action.id)
            )
        )
        responses = list(
            session.exec(
                select(Response).where(Response.campaign_id == campaign_id).order_by(Response.id)
            )
        )
        answers: dict[str, list[str]] = {}
        for link in session.exec(
            select(ResponseDemand).where(
                ResponseDemand.response_id.in_([r.id for r in responses])  # type: ignore[attr-defined]
            )
        ):
            answers.setdefault(link.response_id, []).append(link.demand_id)
    return CampaignRecords(campaign, demands, actions, responses, answers)
