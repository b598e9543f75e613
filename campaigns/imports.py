"""Import the one-row-per-demand CSV into the store, all or nothing, idempotently."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns import records
from campaigns.flatfile import DemandRow, read_file
from campaigns.registry import ensure_company
from campaigns.text import slugify, stable_id
from db.engine import session_scope
from db.models import Action, Campaign, Demand, Organization, Response


@dataclass
class ImportSummary:
    source: str
    rows: int = 0
    changes: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, record_type: str, change: str) -> None:
        per_type = self.changes.setdefault(record_type, {})
        per_type[change] = per_type.get(change, 0) + 1

    @property
    def changed(self) -> int:
        return sum(
            n for per in self.changes.values() for kind, n in per.items() if kind != "unchanged"
        )


def response_id_for(row: DemandRow) -> str:
    """Rows of one campaign with the same response share one Response record."""
    return stable_id(
        "resp", row.campaign_id, row.response_type, row.response_date, row.response_summary or ""
    )


def ensure_organization(session: Session, name: str, employer_id: int | None) -> Organization:
    slug = slugify(name)
    organization = session.exec(select(Organization).where(Organization.slug == slug)).first()
    if organization is None:
        organization = Organization(slug=slug, name=name, employer_id=employer_id)
        session.add(organization)
        session.flush()
    return organization


def write_rows(session: Session, rows: Sequence[DemandRow], summary: ImportSummary) -> None:
    """Write validated rows inside the caller's transaction."""
    # Campaign-level values come from a campaign's first row (started_on: its earliest demand),
    # so rows that differ only in per-demand provenance don't flip the campaign back and forth.
    first_rows: dict[str, DemandRow] = {}
    started: dict[str, date] = {}
    first_of_response: dict[str, DemandRow] = {}
    # "First" means the row with the smallest demand id, not the first in the file, so the
    # same data in any row order (e.g. our own export, sorted by id) gives the same records.
    for row in sorted(rows, key=lambda r: r.demand_id):
        first_rows.setdefault(row.campaign_id, row)
        if row.response_type:
            first_of_response.setdefault(response_id_for(row), row)
        if row.demand_date and (
            row.campaign_id not in started or row.demand_date < started[row.campaign_id]
        ):
            started[row.campaign_id] = row.demand_date
    for row in rows:
        actor = row.coded_by
        company = ensure_company(session, row.company)
        organization = (
            ensure_organization(session, row.worker_group, company.id) if row.worker_group else None
        )
        result = records.upsert(
            session,
            Campaign,
            row.campaign_id,
            {
                "title": row.campaign_title,
                "company_id": company.id,
                "business_unit": row.business_unit,
                "lead_organization_id": organization.id if organization else None,
                "struggle": row.struggle,
                "started_on": started.get(row.campaign_id),
                "retaliation": row.retaliation,
                "coded_by": first_rows[row.campaign_id].coded_by,
                "confidence": first_rows[row.campaign_id].confidence,
                "review_status": first_rows[row.campaign_id].review_status,
            },
            actor=actor,
            record_type="campaign",
        )
        summary.count("campaign", result.change)
        existing_tactics = set(
            session.exec(select(Action.tactic).where(Action.campaign_id == row.campaign_id)).all()
        )
        for tactic in row.tactics:
            if tactic not in existing_tactics:
                action_id = f"{row.campaign_id}-{tactic}"
                records.upsert(
                    session,
                    Action,
                    action_id,
                    {
                        "campaign_id": row.campaign_id,
                        "tactic": tactic,
                        "coded_by": first_rows[row.campaign_id].coded_by,
                        "confidence": first_rows[row.campaign_id].confidence,
                        "review_status": first_rows[row.campaign_id].review_status,
                    },
                    actor=actor,
                    record_type="action",
                )
                existing_tactics.add(tactic)
                summary.count("action", "created")
        session.flush()
        result = records.upsert(
            session,
            Demand,
            row.demand_id,
            {
                "campaign_id": row.campaign_id,
                "text": row.demand,
                "demand_type": row.demand_type,
                "first_stated_on": row.demand_date,
                "outcome": row.outcome,
                "outcome_on": row.outcome_date,
                "coded_by": row.coded_by,
                "confidence": row.confidence,
                "review_status": row.review_status,
            },
            actor=actor,
            record_type="demand",
        )
        summary.count("demand", result.change)
        session.flush()
        if row.response_type:
            response_id = response_id_for(row)
            result = records.upsert(
                session,
                Response,
                response_id,
                {
                    "campaign_id": row.campaign_id,
                    "company_id": company.id,
                    "response_type": row.response_type,
                    "responded_on": row.response_date,
                    "summary": row.response_summary,
                    "coded_by": first_of_response[response_id].coded_by,
                    "confidence": first_of_response[response_id].confidence,
                    "review_status": first_of_response[response_id].review_status,
                },
                actor=actor,
                record_type="response",
            )
            summary.count("response", result.change)
            session.flush()
            if records.link_response(session, response_id, row.demand_id, actor=actor):
                summary.count("response_link", "created")
        for url in row.evidence_urls:
            result = records.add_evidence(
                session, record_type="demand", record_id=row.demand_id, url=url, actor=actor
            )
            summary.count("evidence", result.change)
        session.flush()
        summary.rows += 1


def import_campaigns_csv(engine: Engine, path: Path) -> ImportSummary:
    """Validate the whole file, then write it in one transaction (nothing on any error)."""
    rows = read_file(path)
    summary = ImportSummary(source=str(path))
    with session_scope(engine) as session:
        write_rows(session, rows, summary)
    return summary
