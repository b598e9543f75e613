"""The coded data set as flat rows: what the export writes and what every figure is computed from.

Filters select campaigns (a campaign matches a demand-type or outcome filter when any of its
demands does); a selected campaign always comes with all of its demands, so a campaign's status
can be recomputed from ``demands.csv`` alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar, cast

from sqlalchemy import select
from sqlmodel import Session, col

from campaigns import codebook as cb
from campaigns.filters import Filters
from campaigns.privacy import by_organisation, load_author_policy
from campaigns.registry import descendant_ids, top_parent
from db.models import (
    Action,
    Campaign,
    Company,
    Demand,
    Evidence,
    Organization,
    Post,
    Response,
    ResponseDemand,
)

_Record = TypeVar("_Record")


@dataclass
class CodedData:
    """Everything the export and the analytics need, already filtered."""

    companies: dict[int, Company]
    organizations: dict[int, Organization]
    campaigns: list[Campaign]
    demands: dict[str, list[Demand]]  # by campaign id
    responses: dict[str, Response]
    response_demands: dict[str, list[str]]  # response id -> demand ids
    demand_responses: dict[str, list[str]]  # demand id -> response ids
    actions: dict[str, list[Action]]  # by campaign id
    evidence: dict[tuple[str, str], list[Evidence]]  # (record_type, record_id) -> evidence
    # cited posts whose authors are people: their URLs name them (campaigns.privacy)
    personal_posts: frozenset[int] = frozenset()

    def public(self) -> CodedData:
        """The data without evidence that is a person's post, as the export writes it."""
        if not self.personal_posts:
            return self
        evidence = {
            key: [item for item in items if item.post_id not in self.personal_posts]
            for key, items in self.evidence.items()
        }
        return replace(self, evidence=evidence)


def days_between(start: date | None, end: date | None) -> int | None:
    if start is None or end is None:
        return None
    return (end - start).days


def campaign_year(demands: Iterable[Demand], started_on: date | None = None) -> int | None:
    """The year of the campaign's earliest demand (its start date when no demand is dated)."""
    dates = [d.first_stated_on for d in demands if d.first_stated_on]
    if dates:
        return min(dates).year
    return started_on.year if started_on else None


def campaign_matches(
    filters: Filters,
    *,
    company_id: int | None,
    struggle: str | None,
    year: int | None,
    demand_types: set[str | None],
    outcomes: set[str | None],
    tactics: set[str],
    company_ids: set[int] | None,
) -> bool:
    """Whether a campaign is selected by ``filters`` (``company_ids``: the companies selected,
    subsidiaries included; None when no company filter is set)."""
    if company_ids is not None and company_id not in company_ids:
        return False
    if filters.struggles and struggle not in filters.struggles:
        return False
    if filters.tactics and not tactics.intersection(filters.tactics):
        return False
    if filters.demand_types and not demand_types.intersection(filters.demand_types):
        return False
    if filters.outcomes and not outcomes.intersection(filters.outcomes):
        return False
    if filters.year_from is not None or filters.year_to is not None:
        if year is None:
            return False
        if filters.year_from is not None and year < filters.year_from:
            return False
        if filters.year_to is not None and year > filters.year_to:
            return False
    return True


def _matches(
    filters: Filters,
    campaign: Campaign,
    demands: list[Demand],
    tactics: set[str],
    company_ids: set[int] | None,
) -> bool:
    return campaign_matches(
        filters,
        company_id=campaign.company_id,
        struggle=campaign.struggle,
        year=campaign_year(demands, campaign.started_on),
        demand_types={d.demand_type for d in demands},
        outcomes={d.outcome for d in demands},
        tactics=tactics,
        company_ids=company_ids,
    )


def _rows(session: Session, model: type[_Record], *order_by: str) -> list[_Record]:
    """Every row of ``model``'s table, as read-only rows with the model's attribute names.

    Core rows rather than ORM objects: for a whole data set (100k campaigns, a million coded
    rows) they load several times faster in a fraction of the memory, and nothing that reads
    ``CodedData`` changes a record.
    """
    table = model.__table__  # type: ignore[attr-defined]
    query = select(table).order_by(*(table.c[name] for name in order_by))
    return cast(list[_Record], session.execute(query).all())


def load_coded_data(session: Session, filters: Filters = Filters()) -> CodedData:
    """Read the coded records that match ``filters``, grouped for fast row building."""
    companies = {c.id: c for c in session.scalars(select(Company)).all() if c.id is not None}
    organizations = {
        o.id: o for o in session.scalars(select(Organization)).all() if o.id is not None
    }
    company_ids: set[int] | None = None
    if filters.companies:
        roots = [c.id for c in companies.values() if c.slug in filters.companies and c.id]
        company_ids = descendant_ids(session, roots)

    demands: dict[str, list[Demand]] = defaultdict(list)
    for demand in _rows(session, Demand, "id"):
        demands[demand.campaign_id].append(demand)
    actions: dict[str, list[Action]] = defaultdict(list)
    for action in _rows(session, Action, "id"):
        actions[action.campaign_id].append(action)

    campaigns = [
        c
        for c in _rows(session, Campaign, "id")
        if _matches(
            filters,
            c,
            demands.get(c.id, []),
            {a.tactic for a in actions.get(c.id, [])},
            company_ids,
        )
    ]
    kept = {c.id for c in campaigns}
    responses = {r.id: r for r in _rows(session, Response, "id") if r.campaign_id in kept}
    response_demands: dict[str, list[str]] = defaultdict(list)
    demand_responses: dict[str, list[str]] = defaultdict(list)
    for link in _rows(session, ResponseDemand):
        if link.response_id in responses:
            response_demands[link.response_id].append(link.demand_id)
            demand_responses[link.demand_id].append(link.response_id)
    evidence: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for item in _rows(session, Evidence, "url"):
        evidence[(item.record_type, item.record_id)].append(item)
    kept_records = {
        "campaign": kept,
        "demand": {d.id for ds in demands.values() for d in ds if d.campaign_id in kept},
        "action": {a.id for acts in actions.values() for a in acts if a.campaign_id in kept},
        "response": set(responses),
    }
    cited = {
        item.post_id
        for (record_type, record_id), items in evidence.items()
        if record_id in kept_records.get(record_type, ())
        for item in items
        if item.post_id is not None
    }
    return CodedData(
        companies=companies,
        organizations=organizations,
        campaigns=campaigns,
        demands={k: v for k, v in demands.items() if k in kept},
        responses=responses,
        response_demands={k: sorted(v) for k, v in response_demands.items()},
        demand_responses=demand_responses,
        actions={k: v for k, v in actions.items() if k in kept},
        evidence=evidence,
        personal_posts=personal_post_ids(session, cited),
    )


def _no_key() -> bytes:
    raise AssertionError("deciding who is a person needs no pseudonym key")


def personal_post_ids(session: Session, post_ids: Iterable[int]) -> frozenset[int]:
    """Those of ``post_ids`` whose authors are people (pseudonymised in exports)."""
    policy = load_author_policy(session, _no_key)
    ids = sorted(set(post_ids))
    personal: set[int] = set()
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(
                col(Post.id),
                col(Post.platform),
                col(Post.author_handle),
                col(Post.source_id),
                col(Post.source_kind),
            ).where(col(Post.id).in_(ids[start : start + 500]))
        ).all()
        for post_id, platform, handle, source_id, source_kind in rows:
            if policy.is_personal(platform, handle, by_organisation(source_id, source_kind)):
                personal.add(post_id)
    return frozenset(personal)


def _first_response(data: CodedData, demand_id: str) -> Response | None:
    """The demand's earliest response (undated ones last; ties broken by id)."""
    candidates = [data.responses[r] for r in data.demand_responses.get(demand_id, [])]
    if not candidates:
        return None
    return min(candidates, key=lambda r: (r.responded_on or date.max, r.id))


def _join(values: Iterable[str]) -> str:
    return ";".join(values)


def demand_rows(data: CodedData) -> list[dict[str, Any]]:
    """One row per demand in the flat interchange format, plus the derived day counts.

    The response columns describe the demand's first response; every response is in
    ``responses.csv``. ``evidence_urls`` joins the demand's evidence and its responses'.
    """
    rows: list[dict[str, Any]] = []
    for campaign in data.campaigns:
        company = data.companies.get(campaign.company_id) if campaign.company_id else None
        organization = (
            data.organizations.get(campaign.lead_organization_id)
            if campaign.lead_organization_id
            else None
        )
        tactics = sorted({a.tactic for a in data.actions.get(campaign.id, [])})
        for demand in data.demands.get(campaign.id, []):
            response = _first_response(data, demand.id)
            urls = {e.url for e in data.evidence.get(("demand", demand.id), [])}
            for response_id in data.demand_responses.get(demand.id, []):
                urls.update(e.url for e in data.evidence.get(("response", response_id), []))
            rows.append(
                {
                    "campaign_id": campaign.id,
                    "campaign_title": campaign.title,
                    "company": company.name if company else None,
                    "business_unit": campaign.business_unit,
                    "worker_group": organization.name if organization else None,
                    "struggle": campaign.struggle,
                    "tactics": _join(tactics),
                    "demand_id": demand.id,
                    "demand": demand.text,
                    "demand_type": demand.demand_type,
                    "demand_date": demand.first_stated_on,
                    "response_type": response.response_type if response else None,
                    "response_date": response.responded_on if response else None,
                    "response_summary": response.summary if response else None,
                    "outcome": demand.outcome,
                    "outcome_date": demand.outcome_on,
                    "retaliation": campaign.retaliation,
                    "evidence_urls": _join(sorted(urls)),
                    "coded_by": demand.coded_by,
                    "confidence": demand.confidence,
                    "review_status": demand.review_status,
                    "days_to_response": days_between(
                        demand.first_stated_on, response.responded_on if response else None
                    ),
                    "days_to_outcome": days_between(demand.first_stated_on, demand.outcome_on),
                }
            )
    return rows


def campaign_rows(data: CodedData) -> list[dict[str, Any]]:
    """One row per campaign, with its status rolled up from its demands."""
    rows = []
    for campaign in data.campaigns:
        company = data.companies.get(campaign.company_id) if campaign.company_id else None
        parent = top_parent(data.companies, campaign.company_id)
        organization = (
            data.organizations.get(campaign.lead_organization_id)
            if campaign.lead_organization_id
            else None
        )
        demands = data.demands.get(campaign.id, [])
        rows.append(
            {
                "campaign_id": campaign.id,
                "title": campaign.title,
                "company": company.name if company else None,
                "company_slug": company.slug if company else None,
                "parent_company": parent.name if parent else None,
                "business_unit": campaign.business_unit,
                "worker_group": organization.name if organization else None,
                "struggle": campaign.struggle,
                "started_on": campaign.started_on,
                "year": campaign_year(demands, campaign.started_on),
                "status": cb.rollup_status(d.outcome for d in demands),
                "n_demands": len(demands),
                "tactics": _join(sorted({a.tactic for a in data.actions.get(campaign.id, [])})),
                "retaliation": campaign.retaliation,
                "summary": campaign.summary,
                "coded_by": campaign.coded_by,
                "confidence": campaign.confidence,
                "review_status": campaign.review_status,
            }
        )
    return rows
