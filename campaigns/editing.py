"""Hand edits from the dashboard: add and correct coded records, as a signed-in editor only.

Every function takes ``editor`` (the audit actor, ``human:<name>``) and raises PermissionError
when it is None, so a viewer cannot write even by calling these directly. Values are checked
against the codebook and the rules in :mod:`campaigns.edit_rules` before anything is written;
a broken rule raises :class:`EditRefused` and nothing is saved. Writes go through
:mod:`campaigns.records`, so every change lands in the audit log.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from campaigns import records
from campaigns.edit_rules import (
    EditRefused,
    action_problems,
    campaign_problems,
    demand_problems,
    evidence_problems,
    response_problems,
)
from campaigns.imports import ensure_organization
from campaigns.registry import ensure_company
from campaigns.text import slugify, stable_id
from db.engine import session_scope
from db.models import Action, Campaign, Demand, Response, ResponseDemand

__all__ = [
    "EditRefused",
    "add_action",
    "add_campaign",
    "add_demand",
    "add_evidence",
    "add_response",
    "correct_action",
    "correct_campaign",
    "correct_demand",
    "correct_outcome",
    "correct_response",
]

CAMPAIGN_FIELDS = {"title", "struggle", "business_unit", "started_on", "retaliation", "summary"}
DEMAND_FIELDS = {"text", "demand_type", "first_stated_on", "outcome", "outcome_on", "outcome_note"}
ACTION_FIELDS = {
    "tactic", "happened_on", "online", "participants_low", "participants_high", "location",
    "description",
}  # fmt: skip
RESPONSE_FIELDS = {"response_type", "responded_on", "speaker_role", "summary"}


def _check_editor(editor: str | None) -> str:
    if not editor:
        raise PermissionError("Editing needs a signed-in editor; this dashboard is read-only.")
    return editor


def _refuse_if(reasons: list[str]) -> None:
    if reasons:
        raise EditRefused(reasons)


def _current(record: SQLModel, names: set[str]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


def _unknown_fields(changes: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(changes) - allowed)
    if extra:
        raise EditRefused([f"These fields cannot be edited here: {', '.join(extra)}."])


def _get(session: Session, model: type[SQLModel], record_id: str, label: str) -> Any:
    record = session.get(model, record_id)
    if record is None:
        raise EditRefused([f"There is no {label} {record_id!r}; it may have been removed."])
    return record


def _new_id(session: Session, model: type[SQLModel], base: str) -> str:
    candidate, n = base, 2
    while session.get(model, candidate) is not None:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _confirmed_by(editor: str) -> dict[str, Any]:
    return {"coded_by": editor, "confidence": 1.0, "review_status": "confirmed"}


# --- campaigns ---------------------------------------------------------------------------------


def add_campaign(
    engine: Engine,
    *,
    editor: str | None,
    title: str,
    company: str,
    struggle: str | None = None,
    business_unit: str | None = None,
    worker_group: str | None = None,
    started_on: date | None = None,
    retaliation: bool | None = None,
    summary: str | None = None,
    today: date | None = None,
) -> str:
    """Create a campaign (its company is created when unknown); returns the new id."""
    actor = _check_editor(editor)
    values: dict[str, Any] = {
        "title": title.strip(),
        "struggle": struggle,
        "business_unit": business_unit or None,
        "started_on": started_on,
        "retaliation": retaliation,
        "summary": summary or None,
    }
    reasons = campaign_problems(values, today or date.today())
    if not company.strip():
        reasons.append("A company is required.")
    _refuse_if(reasons)
    with session_scope(engine) as session:
        owner = ensure_company(session, company.strip())
        group = ensure_organization(session, worker_group, owner.id) if worker_group else None
        year = started_on.year if started_on else date.today().year
        campaign_id = _new_id(session, Campaign, f"{owner.slug}-{slugify(title)[:60]}-{year}")
        values |= {"company_id": owner.id, "lead_organization_id": group.id if group else None}
        records.upsert(
            session,
            Campaign,
            campaign_id,
            values | _confirmed_by(actor),
            actor=actor,
            record_type="campaign",
        )
    return campaign_id


def correct_campaign(
    engine: Engine,
    campaign_id: str,
    *,
    editor: str | None,
    today: date | None = None,
    **changes: Any,
) -> str:
    """Change a campaign's fields; returns the change (``updated`` or ``unchanged``)."""
    actor = _check_editor(editor)
    _unknown_fields(changes, CAMPAIGN_FIELDS)
    with session_scope(engine) as session:
        campaign = _get(session, Campaign, campaign_id, "campaign")
        merged = _current(campaign, CAMPAIGN_FIELDS) | changes
        _refuse_if(campaign_problems(merged, today or date.today()))
        result = records.upsert(
            session, Campaign, campaign_id, changes, actor=actor, record_type="campaign"
        )
    return result.change


# --- demands and outcomes ----------------------------------------------------------------------


def add_demand(
    engine: Engine,
    campaign_id: str,
    *,
    editor: str | None,
    text: str,
    demand_type: str | None,
    first_stated_on: date | None,
    outcome: str = "pending",
    outcome_on: date | None = None,
    outcome_note: str | None = None,
    today: date | None = None,
) -> str:
    """Add a demand to a campaign; returns the new id."""
    actor = _check_editor(editor)
    values = {
        "campaign_id": campaign_id,
        "text": text.strip(),
        "demand_type": demand_type,
        "first_stated_on": first_stated_on,
        "outcome": outcome,
        "outcome_on": outcome_on,
        "outcome_note": outcome_note or None,
    }
    _refuse_if(demand_problems(values, today or date.today()))
    with session_scope(engine) as session:
        _get(session, Campaign, campaign_id, "campaign")
        count = len(session.exec(select(Demand.id).where(Demand.campaign_id == campaign_id)).all())
        demand_id = _new_id(session, Demand, f"{campaign_id}-d{count + 1}")
        records.upsert(
            session,
            Demand,
            demand_id,
            values | _confirmed_by(actor),
            actor=actor,
            record_type="demand",
        )
    return demand_id


def correct_demand(
    engine: Engine,
    demand_id: str,
    *,
    editor: str | None,
    today: date | None = None,
    **changes: Any,
) -> str:
    """Change a demand's fields (text, type, date, outcome...); refuses rule-breaking values."""
    actor = _check_editor(editor)
    _unknown_fields(changes, DEMAND_FIELDS)
    with session_scope(engine) as session:
        demand = _get(session, Demand, demand_id, "demand")
        merged = _current(demand, DEMAND_FIELDS) | changes
        _refuse_if(demand_problems(merged, today or date.today()))
        result = records.upsert(
            session, Demand, demand_id, changes, actor=actor, record_type="demand"
        )
    return result.change


def correct_outcome(
    engine: Engine,
    demand_id: str,
    outcome: str,
    outcome_on: date | None,
    *,
    editor: str | None,
    note: str | None = None,
    today: date | None = None,
) -> str:
    """Set how a demand ended (and when); an outcome date before the demand is refused."""
    changes: dict[str, Any] = {"outcome": outcome, "outcome_on": outcome_on}
    if note is not None:
        changes["outcome_note"] = note or None
    return correct_demand(engine, demand_id, editor=editor, today=today, **changes)


# --- actions -----------------------------------------------------------------------------------


def add_action(
    engine: Engine,
    campaign_id: str,
    *,
    editor: str | None,
    tactic: str,
    happened_on: date | None = None,
    online: bool | None = None,
    participants_low: int | None = None,
    participants_high: int | None = None,
    location: str | None = None,
    description: str | None = None,
    today: date | None = None,
) -> str:
    """Add an action (what the workers did) to a campaign; returns the new id."""
    actor = _check_editor(editor)
    values = {
        "campaign_id": campaign_id,
        "tactic": tactic,
        "happened_on": happened_on,
        "online": online,
        "participants_low": participants_low,
        "participants_high": participants_high,
        "location": location or None,
        "description": description or None,
    }
    _refuse_if(action_problems(values, today or date.today()))
    with session_scope(engine) as session:
        _get(session, Campaign, campaign_id, "campaign")
        suffix = happened_on.isoformat() if happened_on else "undated"
        action_id = _new_id(session, Action, f"{campaign_id}-{tactic}-{suffix}")
        records.upsert(
            session,
            Action,
            action_id,
            values | _confirmed_by(actor),
            actor=actor,
            record_type="action",
        )
    return action_id


def correct_action(
    engine: Engine,
    action_id: str,
    *,
    editor: str | None,
    today: date | None = None,
    **changes: Any,
) -> str:
    """Change an action's fields."""
    actor = _check_editor(editor)
    _unknown_fields(changes, ACTION_FIELDS)
    with session_scope(engine) as session:
        action = _get(session, Action, action_id, "action")
        merged = _current(action, ACTION_FIELDS) | changes
        _refuse_if(action_problems(merged, today or date.today()))
        result = records.upsert(
            session, Action, action_id, changes, actor=actor, record_type="action"
        )
    return result.change


# --- responses ---------------------------------------------------------------------------------


def _answered_dates(session: Session, demand_ids: list[str]) -> list[date | None]:
    if not demand_ids:
        return []
    demands = session.exec(select(Demand).where(Demand.id.in_(demand_ids))).all()  # type: ignore[attr-defined]
    return [d.first_stated_on for d in demands]


def add_response(
    engine: Engine,
    campaign_id: str,
    *,
    editor: str | None,
    response_type: str,
    responded_on: date | None,
    demand_ids: list[str],
    summary: str | None = None,
    speaker_role: str | None = None,
    today: date | None = None,
) -> str:
    """Record the company's response and the demands it answers; returns the new id."""
    actor = _check_editor(editor)
    values = {
        "campaign_id": campaign_id,
        "response_type": response_type,
        "responded_on": responded_on,
        "summary": summary or None,
        "speaker_role": speaker_role or None,
    }
    with session_scope(engine) as session:
        campaign = _get(session, Campaign, campaign_id, "campaign")
        own = set(session.exec(select(Demand.id).where(Demand.campaign_id == campaign_id)).all())
        reasons = [
            f"Demand {d!r} is not a demand of this campaign." for d in demand_ids if d not in own
        ]
        reasons += response_problems(
            values, _answered_dates(session, demand_ids), today or date.today()
        )
        _refuse_if(reasons)
        response_id = _new_id(
            session,
            Response,
            stable_id("resp", campaign_id, response_type, responded_on, summary or ""),
        )
        values["company_id"] = campaign.company_id
        records.upsert(
            session,
            Response,
            response_id,
            values | _confirmed_by(actor),
            actor=actor,
            record_type="response",
        )
        session.flush()
        for demand_id in demand_ids:
            records.link_response(session, response_id, demand_id, actor=actor)
    return response_id


def correct_response(
    engine: Engine,
    response_id: str,
    *,
    editor: str | None,
    today: date | None = None,
    **changes: Any,
) -> str:
    """Change a response's fields; its date may not precede the demands it answers."""
    actor = _check_editor(editor)
    _unknown_fields(changes, RESPONSE_FIELDS)
    with session_scope(engine) as session:
        response = _get(session, Response, response_id, "response")
        merged = _current(response, RESPONSE_FIELDS) | changes
        answered = list(
            session.exec(
                select(ResponseDemand.demand_id).where(ResponseDemand.response_id == response_id)
            ).all()
        )
        _refuse_if(
            response_problems(merged, _answered_dates(session, answered), today or date.today())
        )
        result = records.upsert(
            session, Response, response_id, changes, actor=actor, record_type="response"
        )
    return result.change


# --- evidence and history ----------------------------------------------------------------------

_EVIDENCE_TARGETS: dict[str, type[SQLModel]] = {
    "campaign": Campaign,
    "demand": Demand,
    "action": Action,
    "response": Response,
}


def add_evidence(
    engine: Engine,
    *,
    editor: str | None,
    record_type: str,
    record_id: str,
    url: str,
    kind: str | None = None,
    quote: str | None = None,
) -> str:
    """Attach a source URL to a record; returns the change (``created`` or ``unchanged``)."""
    actor = _check_editor(editor)
    reasons = evidence_problems(url, kind, record_type)
    if record_type not in _EVIDENCE_TARGETS:
        reasons.append(f"Evidence can be attached to: {', '.join(_EVIDENCE_TARGETS)}.")
    _refuse_if(reasons)
    with session_scope(engine) as session:
        _get(session, _EVIDENCE_TARGETS[record_type], record_id, record_type)
        result = records.add_evidence(
            session,
            record_type=record_type,
            record_id=record_id,
            url=url.strip(),
            actor=actor,
            kind=kind,
            quote=quote or None,
        )
    return result.change
