"""One campaign in full, for its page: demands, actions, responses and outcomes in date order,
each with the evidence behind it, the demands with the responses that answered them, and the
related campaigns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import or_
from sqlmodel import Session, select

from campaigns import codebook as cb
from campaigns.dataset import campaign_year
from campaigns.flatfile import is_web_url
from campaigns.registry import top_parent
from db.models import (
    Action,
    Campaign,
    CampaignRelation,
    Company,
    Demand,
    Evidence,
    Organization,
    Response,
    ResponseDemand,
)

TIMELINE_COLUMNS = ["date", "kind", "what", "record_type", "record_id", "evidence", "sources"]
EVIDENCE_COLUMNS = ["record_type", "record_id", "kind", "publisher", "url", "quote"]
DEMAND_COLUMNS = [
    "demand_id", "demand", "demand_type", "stated_on", "outcome", "outcome_on",
    "days_to_outcome", "responses",
]  # fmt: skip
RELATED_COLUMNS = ["campaign_id", "title", "relation"]


@dataclass
class CampaignDetail:
    """Everything a campaign's page shows; frames are empty (with columns) when there is none."""

    campaign: dict[str, Any]
    timeline: pd.DataFrame
    demands: pd.DataFrame
    evidence: pd.DataFrame
    related: pd.DataFrame


def _evidence(
    session: Session, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], list[Evidence]]:
    found: dict[tuple[str, str], list[Evidence]] = {}
    ids_by_type: dict[str, list[str]] = {}
    for record_type, record_id in keys:
        ids_by_type.setdefault(record_type, []).append(record_id)
    for record_type, ids in ids_by_type.items():
        rows = session.exec(
            select(Evidence)
            .where(Evidence.record_type == record_type, Evidence.record_id.in_(ids))  # type: ignore[attr-defined]
            .order_by(Evidence.url)
        ).all()
        for item in rows:
            if is_web_url(item.url):  # only http(s) links are offered as links
                found.setdefault((item.record_type, item.record_id), []).append(item)
    return found


def _event(
    day: date | None,
    kind: str,
    what: str,
    record_type: str,
    record_id: str,
    evidence: dict[tuple[str, str], list[Evidence]],
) -> dict[str, Any]:
    items = evidence.get((record_type, record_id), [])
    return {
        "date": day,
        "kind": kind,
        "what": what,
        "record_type": record_type,
        "record_id": record_id,
        "evidence": items[0].url if items else None,
        "sources": len(items),
    }


def _related(session: Session, campaign_id: str) -> pd.DataFrame:
    links = session.exec(
        select(CampaignRelation).where(
            or_(
                CampaignRelation.campaign_id == campaign_id,  # type: ignore[arg-type]
                CampaignRelation.related_campaign_id == campaign_id,  # type: ignore[arg-type]
            )
        )
    ).all()
    rows = []
    for link in links:
        outgoing = link.campaign_id == campaign_id
        other_id = link.related_campaign_id if outgoing else link.campaign_id
        other = session.get(Campaign, other_id)
        relation = link.relation if outgoing else f"{link.relation} (this one)"
        rows.append(
            {
                "campaign_id": other_id,
                "title": other.title if other else other_id,
                "relation": relation,
            }
        )
    return pd.DataFrame(rows, columns=RELATED_COLUMNS)


def load_campaign_detail(session: Session, campaign_id: str) -> CampaignDetail | None:
    """The campaign's page content, or None when there is no such campaign."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        return None
    demands = list(
        session.exec(select(Demand).where(Demand.campaign_id == campaign_id).order_by(Demand.id))
    )
    actions = list(session.exec(select(Action).where(Action.campaign_id == campaign_id)))
    responses = {
        r.id: r for r in session.exec(select(Response).where(Response.campaign_id == campaign_id))
    }
    links = session.exec(
        select(ResponseDemand).where(ResponseDemand.response_id.in_(list(responses)))  # type: ignore[attr-defined]
    ).all()
    answers: dict[str, list[Response]] = {}
    answered_by: dict[str, list[str]] = {}
    for link in links:
        answers.setdefault(link.demand_id, []).append(responses[link.response_id])
        answered_by.setdefault(link.response_id, []).append(link.demand_id)
    keys = [("campaign", campaign_id)]
    keys += [("demand", d.id) for d in demands] + [("action", a.id) for a in actions]
    keys += [("response", r) for r in responses]
    evidence = _evidence(session, keys)

    events = [_event(campaign.started_on, "campaign", f"Campaign starts: {campaign.title}", "campaign", campaign_id, evidence)] if campaign.started_on else []  # fmt: skip
    for demand in demands:
        events.append(_event(demand.first_stated_on, "demand", demand.text, "demand", demand.id, evidence))  # fmt: skip
        if demand.outcome in cb.RESOLVED_OUTCOMES:
            what = f"Outcome: {demand.outcome}" + (
                f" — {demand.outcome_note}" if demand.outcome_note else ""
            )
            events.append(_event(demand.outcome_on, "outcome", what, "demand", demand.id, evidence))  # fmt: skip
    for action in actions:
        what = action.tactic + (f": {action.description}" if action.description else "")
        events.append(_event(action.happened_on, "action", what, "action", action.id, evidence))
    for response in responses.values():
        what = response.response_type + (f": {response.summary}" if response.summary else "")
        events.append(_event(response.responded_on, "response", what, "response", response.id, evidence))  # fmt: skip
    for event in events:  # a response reported in its demand's sources points there
        if event["kind"] == "response" and not event["sources"]:
            for demand_id in answered_by.get(event["record_id"], []):
                items = evidence.get(("demand", demand_id), [])
                if items:
                    event["evidence"], event["sources"] = items[0].url, len(items)
                    break
    order = {"campaign": 0, "demand": 1, "action": 2, "response": 3, "outcome": 4}
    events.sort(key=lambda e: (e["date"] or date.max, order[e["kind"]], e["record_id"]))

    demand_rows = []
    for demand in demands:
        answered = sorted(
            answers.get(demand.id, []), key=lambda r: (r.responded_on or date.max, r.id)
        )
        demand_rows.append(
            {
                "demand_id": demand.id,
                "demand": demand.text,
                "demand_type": demand.demand_type,
                "stated_on": demand.first_stated_on,
                "outcome": demand.outcome,
                "outcome_on": demand.outcome_on,
                "days_to_outcome": (demand.outcome_on - demand.first_stated_on).days
                if demand.outcome_on and demand.first_stated_on
                else None,
                "responses": "; ".join(
                    f"{r.responded_on.isoformat() if r.responded_on else 'undated'} "
                    f"{r.response_type}" + (f": {r.summary}" if r.summary else "")
                    for r in answered
                ),
            }
        )
    evidence_rows = [
        {
            "record_type": item.record_type,
            "record_id": item.record_id,
            "kind": item.kind,
            "publisher": item.publisher,
            "url": item.url,
            "quote": item.quote,
        }
        for key in keys
        for item in evidence.get(key, [])
    ]
    companies = {c.id: c for c in session.exec(select(Company)) if c.id is not None}
    company = companies.get(campaign.company_id) if campaign.company_id else None
    parent = top_parent(companies, campaign.company_id)
    group = (
        session.get(Organization, campaign.lead_organization_id)
        if campaign.lead_organization_id
        else None
    )
    summary = {
        "campaign_id": campaign.id,
        "title": campaign.title,
        "company": company.name if company else None,
        "parent_company": parent.name if parent and parent is not company else None,
        "business_unit": campaign.business_unit,
        "worker_group": group.name if group else None,
        "struggle": campaign.struggle,
        "started_on": campaign.started_on,
        "year": campaign_year(demands, campaign.started_on),
        "status": cb.rollup_status(d.outcome for d in demands),
        "retaliation": campaign.retaliation,
        "summary": campaign.summary,
        "tactics": sorted({a.tactic for a in actions}),
    }
    return CampaignDetail(
        campaign=summary,
        timeline=pd.DataFrame(events, columns=TIMELINE_COLUMNS),
        demands=pd.DataFrame(demand_rows, columns=DEMAND_COLUMNS),
        evidence=pd.DataFrame(evidence_rows, columns=EVIDENCE_COLUMNS),
        related=_related(session, campaign_id),
    )
