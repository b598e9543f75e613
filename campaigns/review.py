"""The review queue: list, accept, reject and edit the engine's suggestions.

Accepting writes records through ``campaigns.records`` (so every change is audited under the
reviewer's name): the campaign, the demand, the action, the response and its link to the
demand, the outcome, each with the post as evidence (and the pages the post points to: the
letter, the petition, the article), ``coded_by=engine:<version>`` and
``review_status=confirmed``. Rejecting is remembered: the suggestion keeps its fingerprint, so
the engine never proposes it again.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from campaigns import codebook as cb
from campaigns import records
from campaigns.linking.model import clean_text
from campaigns.linking.references import evidence_links
from campaigns.registry import top_parent
from connectors.links import outbound_links
from db.engine import session_scope
from db.models import (
    Action,
    Campaign,
    Company,
    Demand,
    Organization,
    Post,
    Response,
    ResponseDemand,
    Suggestion,
)
from db.types import utcnow

EDITABLE = {
    "role": cb.POST_ROLE,
    "demand_type": cb.DEMAND_TYPE,
    "response_type": cb.RESPONSE_TYPE,
    "outcome": cb.OUTCOME,
    "tactic": cb.TACTIC,
    "struggle": cb.STRUGGLE,
}
EDITABLE_TEXT = ("company", "business_unit", "campaign_title", "demand_text", "summary")
ANSWERED = "demand"  # edit field: the id of the demand a response or outcome answers
MOVED = "campaign"  # edit field: the id of a campaign in the store the post belongs to
SAME_RESPONSE_DAYS = 7  # a response of the same type to the same demand this close is the same
MOVE_CHOICES = 100  # campaigns the Review page offers to move a post into (the newest)
# the edit value that drops a proposed part: tactic "none", the post reports no action (a
# demand's or an answer's proposed action goes); more_demands "none", the post states one demand
# only (the further ones it seemed to list go)
NONE = "none"
MORE_DEMANDS = "more_demands"
EVIDENCE_KIND = {"worker_group": "worker_post", "company": "company_statement", "news": "news"}


class ReviewError(ValueError):
    """A review action that cannot be done (unknown id, decided already, bad value)."""


@dataclass
class Decision:
    suggestion_id: int
    status: str
    records: list[str]


def _proposed_company() -> Any:
    """The company a suggestion proposes, read from its proposal in the database (SQLite's
    json_extract, PostgreSQL's ->>), so an edited company counts."""
    return Suggestion.__table__.c.proposal["company"].as_string()  # type: ignore[attr-defined]


def _queue(
    query: Any,
    status: str | None,
    min_score: float | None,
    role: str | None,
    company: str | None = None,
) -> Any:
    """``query`` narrowed to the suggestions with this status, role, company and lowest score."""
    if status:
        query = query.where(Suggestion.status == status)
    if min_score is not None:
        query = query.where(Suggestion.score >= min_score)
    if role:
        query = query.where(Suggestion.role == role)
    if company:
        query = query.where(_proposed_company() == company)
    return query


def queued_companies(engine: Engine, *, status: str | None = "proposed") -> list[str]:
    """The companies the suggestions with this status propose, by name order of their slugs."""
    query = _queue(select(_proposed_company()).distinct(), status, None, None)
    with Session(engine) as session:
        return sorted(str(c) for c in session.scalars(query) if c)


def list_suggestions(
    engine: Engine,
    *,
    status: str | None = "proposed",
    min_score: float | None = None,
    role: str | None = None,
    company: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Suggestions with their post text, best first, as plain dicts (for CLI and page).

    Filtered and ordered by the database, so a page of a long queue reads only that page.
    """
    query = select(Suggestion, Post).join(Post, Post.id == Suggestion.post_id)  # type: ignore[arg-type]
    query = _queue(query, status, min_score, role, company).order_by(
        Suggestion.score.desc(),  # type: ignore[attr-defined]
        Post.posted_at.asc().nulls_first(),  # type: ignore[union-attr]
        Suggestion.id,
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    with Session(engine) as session:
        rows = session.execute(query).all()
    return [
        {
            "id": suggestion.id,
            "status": suggestion.status,
            "role": suggestion.role,
            "score": suggestion.score,
            "campaign_id": suggestion.campaign_id,
            "demand_id": suggestion.demand_id,
            "proposal": suggestion.proposal,
            "reasons": suggestion.reasons,
            "engine": suggestion.model_version,
            "post_id": post.id,
            "post_url": post.url,
            "post_text": post.text,
            "posted_at": post.posted_at.isoformat() if post.posted_at else None,
            "author": post.author_handle,
            "evidence_links": linked_pages(post),
        }
        for suggestion, post in rows
    ]


def _short(text: Any, size: int = 90) -> str:
    value = " ".join(str(text or "").split())
    return value if len(value) <= size else value[: size - 1].rstrip() + "…"


def proposal_summary(proposal: dict[str, Any]) -> list[str]:
    """The proposed records in a few plain lines, for a reviewer to read at a glance (the page
    and the CLI show them as text; the whole proposal stays available as JSON)."""
    company = proposal.get("company") or "no company"
    if proposal.get("business_unit"):
        company += f" ({proposal['business_unit']})"
    campaign = proposal.get("campaign") or {}
    lines = [
        f"Company: {company}",
        f"Campaign{' (new)' if campaign.get('new') else ''}: {_short(campaign.get('title'), 70)}",
    ]
    if campaign.get("struggle"):
        lines.append(f"The campaign is about: {campaign['struggle']}")
    if proposal.get("worker_group"):
        lines.append(f"Worker group: {_short(proposal['worker_group'].get('name'), 70)}")
    demand = proposal.get("demand")
    role = proposal.get("role")
    if demand and role == "demand":
        kind = "New demand" if demand.get("new") else "Restates the demand"
        lines.append(f"{kind} ({demand.get('demand_type')}): {_short(demand.get('text'))}")
    elif demand and role == "action":
        lines.append(
            f"States the demand ({demand.get('demand_type')}): {_short(demand.get('text'))}"
        )
    elif demand:
        lines.append(
            f"Answers the demand of {demand.get('first_stated_on') or 'an unknown date'}: "
            f"{_short(demand.get('text'))}"
        )
    elif role in ("response", "outcome"):
        lines.append("Answers no demand found yet (a reviewer can pick one)")
    if demand and role in ("demand", "action"):
        for number, more in enumerate(proposal.get("more_demands") or [], start=2):
            lines.append(
                f"Demand {number} it lists ({more.get('demand_type')}): {_short(more.get('text'))}"
            )
    if proposal.get("action"):
        action = proposal["action"]
        lines.append(
            f"Action: {action.get('tactic')} on {action.get('happened_on') or 'unknown date'}"
        )
    if proposal.get("response"):
        lines.append(f"Response: {proposal['response'].get('response_type')}")
    if proposal.get("outcome"):
        lines.append(f"Outcome of the demand: {proposal['outcome'].get('value')}")
    if proposal.get("alternatives") and role in ("response", "outcome"):
        count = len(proposal["alternatives"])
        lines.append(
            f"May answer instead: {count} other demand(s)"
            if demand
            else f"May answer: {count} demand(s) that fit too weakly to link"
        )
    return lines


def _address(post: Post) -> str:
    """The post's own evidence URL (a placeholder naming it when it has no web address)."""
    return post.url or f"post:{post.platform}:{post.platform_post_id}"


def linked_pages(post: Post) -> list[str]:
    """The pages a post links that accepting its suggestion keeps as evidence (the letter, the
    petition, the article; see ``references.evidence_links``)."""
    return evidence_links(post.text or "", outbound_links(post.platform, post.raw), _address(post))


def count_suggestions(
    engine: Engine,
    *,
    status: str | None = "proposed",
    min_score: float | None = None,
    role: str | None = None,
    company: str | None = None,
) -> int:
    """How many suggestions ``list_suggestions`` would list with these filters."""
    query = _queue(select(func.count()).select_from(Suggestion), status, min_score, role, company)
    with Session(engine) as session:
        return int(session.execute(query).scalar_one())


def _suggestion(session: Session, suggestion_id: int) -> Suggestion:
    suggestion = session.get(Suggestion, suggestion_id)
    if suggestion is None:
        raise ReviewError(f"no suggestion {suggestion_id}: see `campaigns review list`")
    return suggestion


def _decide(session: Session, suggestion: Suggestion, status: str, reviewer: str) -> None:
    records.audit(
        session,
        actor=reviewer,
        record_type="suggestion",
        record_id=str(suggestion.id),
        field="status",
        old=suggestion.status,
        new=status,
    )
    suggestion.status = status
    suggestion.decided_at = utcnow()
    suggestion.decided_by = reviewer


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class _Writer:
    """Writes one accepted suggestion's records inside the caller's transaction."""

    def __init__(self, session: Session, suggestion: Suggestion, reviewer: str) -> None:
        self.session = session
        self.suggestion = suggestion
        self.reviewer = reviewer
        self.proposal: dict[str, Any] = suggestion.proposal
        self.post = session.get(Post, suggestion.post_id)
        self.provenance = {
            "coded_by": f"engine:{suggestion.model_version}",
            "confidence": max(0.0, min(1.0, float(suggestion.score))),
            "review_status": "confirmed",
        }
        self.written: list[str] = []

    def _fill(self, model: Any, record_id: str, record_type: str, values: dict[str, Any]) -> Any:
        """Create the record, or fill its empty fields and confirm it."""
        record = self.session.get(model, record_id)
        if record is None:
            records.upsert(
                self.session, model, record_id, {**values, **self.provenance},
                actor=self.reviewer, record_type=record_type,
            )  # fmt: skip
        else:
            changes = {k: v for k, v in values.items() if getattr(record, k) is None}
            changes["review_status"] = "confirmed"
            records.upsert(
                self.session, model, record_id, changes, actor=self.reviewer,
                record_type=record_type,
            )  # fmt: skip
        self.session.flush()
        self.written.append(f"{record_type}:{record_id}")
        return self.session.get(model, record_id)

    def _evidence(self, record_type: str, record_id: str) -> None:
        post = self.post
        if post is None:
            return
        add = functools.partial(
            records.add_evidence, self.session, record_type=record_type, record_id=record_id,
            actor=self.reviewer,
        )  # fmt: skip
        add(
            url=_address(post),
            kind=EVIDENCE_KIND.get(post.source_kind or ""),
            publisher=post.author_handle if post.source_kind == "news" else None,
            quote=(post.text or "")[:500],
            post_id=post.id,
        )
        if record_type == "campaign":
            return  # the campaign gathers its posts; the pages they point to go with each record
        for page in linked_pages(post):
            add(url=page)

    def campaign(self) -> str:
        info = self.proposal["campaign"]
        company = None
        if self.proposal.get("company"):
            company = self.session.scalars(
                select(Company).where(Company.slug == self.proposal["company"])
            ).first()
        posted_on = _day(self.proposal.get("post", {}).get("posted_on"))
        group_id = (self.proposal.get("worker_group") or {}).get("id")
        group = self.session.get(Organization, group_id) if group_id else None
        campaign = self._fill(
            Campaign,
            info["id"],
            "campaign",
            {
                "title": info.get("title") or info["id"],
                "company_id": company.id if company else None,
                "business_unit": self.proposal.get("business_unit"),
                "lead_organization_id": group.id if group else None,
                "started_on": posted_on,
                # filled only while the campaign has none: a reviewer's coding stays
                "struggle": info.get("struggle")
                if info.get("struggle") in cb.STRUGGLE.values
                else None,
            },
        )
        if posted_on and campaign.started_on and posted_on < campaign.started_on:
            records.upsert(
                self.session, Campaign, campaign.id, {"started_on": posted_on},
                actor=self.reviewer, record_type="campaign",
            )  # fmt: skip
        self._evidence("campaign", info["id"])
        return str(info["id"])

    def demand(
        self, campaign_id: str, *, stated_here: bool, info: dict[str, Any] | None = None
    ) -> str | None:
        """The demand the post states or answers (``info``: one more it lists)."""
        info = info or self.proposal.get("demand")
        if not info:
            return None
        said = clean_text(self.post.text)[:300] if stated_here and self.post else ""
        values = {
            "campaign_id": campaign_id,
            "text": info.get("text") or said or "(demand text to be written)",
            "demand_type": info.get("demand_type"),
            "first_stated_on": _day(info.get("first_stated_on")),
        }
        if stated_here:
            self._fill(Demand, info["id"], "demand", {**values, "outcome": "pending"})
            self._evidence("demand", info["id"])
        elif self.session.get(Demand, info["id"]) is None:
            # the answered demand is not reviewed yet: create it, still marked proposed
            records.upsert(
                self.session, Demand, info["id"],
                {**values, "outcome": "pending", **self.provenance, "review_status": "proposed"},
                actor=self.reviewer, record_type="demand",
            )  # fmt: skip
            self.session.flush()
        return str(info["id"])

    def more_demands(self, campaign_id: str) -> None:
        """Each further demand the post lists, with the post as its evidence too."""
        for info in self.proposal.get("more_demands") or []:
            self.demand(campaign_id, stated_here=True, info=info)

    def outcome(self, demand_id: str | None) -> None:
        info = self.proposal.get("outcome")
        if not demand_id or not info or info.get("value") not in cb.OUTCOME.values:
            return
        records.upsert(
            self.session, Demand, demand_id,
            {"outcome": info["value"], "outcome_on": _day(info.get("on"))},
            actor=self.reviewer, record_type="demand",
        )  # fmt: skip
        self._evidence("demand", demand_id)
        self.written.append(f"outcome:{demand_id}={info['value']}")

    def action(self, campaign_id: str) -> None:
        info = self.proposal.get("action") or {}
        action_id = info.get("id") or f"act-{self.suggestion.post_id}"
        self._fill(
            Action, action_id, "action",
            {"campaign_id": campaign_id, "tactic": info.get("tactic") or "other",
             "happened_on": _day(info.get("happened_on")),
             "description": info.get("description")},
        )  # fmt: skip
        self._evidence("action", action_id)

    def response(self, campaign_id: str, demand_id: str | None, recounted: bool = False) -> None:
        """The proposed response, linked to ``demand_id``, with the post as its evidence. The
        same response reported again (another outlet, the group's own post) is one record with
        this post as more evidence, not a second response; an outcome report ``recounted`` it,
        so any earlier response of its type to the demand is the one it tells of."""
        info = self.proposal.get("response") or {}
        response_id = info.get("id") or f"resp-{self.suggestion.post_id}"
        if demand_id and self.session.get(Response, response_id) is None:
            response_id = self._reported_before(demand_id, info, any_day=recounted) or response_id
        campaign = self.session.get(Campaign, campaign_id)
        self._fill(
            Response, response_id, "response",
            {"campaign_id": campaign_id, "company_id": campaign.company_id if campaign else None,
             "response_type": info.get("response_type") or "statement",
             "responded_on": _day(info.get("responded_on")), "summary": info.get("summary")},
        )  # fmt: skip
        self._evidence("response", response_id)
        if demand_id:
            records.link_response(self.session, response_id, demand_id, actor=self.reviewer)

    def _reported_before(
        self, demand_id: str, info: dict[str, Any], any_day: bool = False
    ) -> str | None:
        """A response of the same type to ``demand_id`` already in the store, dated within
        ``SAME_RESPONSE_DAYS`` of this one (or both undated; any date with ``any_day``): the id
        to add this post to."""
        kind = info.get("response_type") or "statement"
        day = _day(info.get("responded_on"))
        query = (
            select(Response)
            .join(ResponseDemand, col(ResponseDemand.response_id) == col(Response.id))
            .where(col(ResponseDemand.demand_id) == demand_id, col(Response.response_type) == kind)
            .order_by(col(Response.responded_on), col(Response.id))
        )
        for earlier in self.session.scalars(query).all():
            if earlier.review_status == "rejected":
                continue
            if any_day:
                return str(earlier.id)
            if day is None or earlier.responded_on is None:
                if day is None and earlier.responded_on is None:
                    return str(earlier.id)
            elif abs((earlier.responded_on - day).days) <= SAME_RESPONSE_DAYS:
                return str(earlier.id)
        return None

    def _states_demand(self) -> bool:
        """The proposed demand is stated by this suggestion's own post."""
        demand = self.proposal.get("demand") or {}
        return bool(demand) and demand.get("stated_by_post") == self.suggestion.post_id

    def apply(self) -> list[str]:
        role = self.proposal.get("role", self.suggestion.role)
        campaign_id = self.campaign()
        if role == "demand":
            self.demand(campaign_id, stated_here=True)
            self.more_demands(campaign_id)
            if self.proposal.get("action"):  # "today 150 of us walked out: $5 more an hour"
                self.action(campaign_id)
        elif role == "action":
            if self._states_demand():  # "a letter asking the company to cancel the contract"
                self.demand(campaign_id, stated_here=True)
                self.more_demands(campaign_id)
            self.action(campaign_id)
        elif role == "response":
            demand_id = self.demand(campaign_id, stated_here=False)
            self.response(campaign_id, demand_id)
            self.outcome(demand_id)
        elif role == "outcome":
            demand_id = self.demand(campaign_id, stated_here=False)
            if self.proposal.get("response"):  # "AWS has stopped hosting Parler, a win"
                self.response(campaign_id, demand_id, recounted=True)
            self.outcome(demand_id)
        if role in ("response", "outcome") and self.proposal.get("action"):
            self.action(campaign_id)  # "after Tuesday's walkout the company agreed to ..."
        return self.written


def accept(engine: Engine, suggestion_ids: list[int], *, reviewer: str) -> list[Decision]:
    """Accept suggestions in the order their posts were made (demands before answers)."""
    decisions = []
    with session_scope(engine) as session:
        chosen = [_suggestion(session, i) for i in suggestion_ids]
        for suggestion in chosen:
            if suggestion.status != "proposed":
                raise ReviewError(f"suggestion {suggestion.id} is {suggestion.status} already")
        chosen.sort(key=lambda s: (s.proposal.get("post", {}).get("posted_on") or "", s.id))
        for suggestion in chosen:
            written = _Writer(session, suggestion, reviewer).apply()
            _decide(session, suggestion, "accepted", reviewer)
            assert suggestion.id is not None
            decisions.append(Decision(suggestion.id, "accepted", written))
    return decisions


def accept_all(engine: Engine, *, min_score: float, reviewer: str) -> list[Decision]:
    """Accept every proposed suggestion scoring at least ``min_score``."""
    ids = [s["id"] for s in list_suggestions(engine, min_score=min_score)]
    return accept(engine, ids, reviewer=reviewer) if ids else []


def reject(engine: Engine, suggestion_ids: list[int], *, reviewer: str) -> list[Decision]:
    """Reject suggestions; the engine will not propose them again."""
    decisions = []
    with session_scope(engine) as session:
        for suggestion_id in suggestion_ids:
            suggestion = _suggestion(session, suggestion_id)
            if suggestion.status != "proposed":
                raise ReviewError(f"suggestion {suggestion_id} is {suggestion.status} already")
            _decide(session, suggestion, "rejected", reviewer)
            decisions.append(Decision(suggestion_id, "rejected", []))
    return decisions


def edit(
    engine: Engine, suggestion_id: int, changes: dict[str, str], *, reviewer: str
) -> dict[str, Any]:
    """Change a proposed suggestion's codes or texts before accepting it; returns the proposal."""
    with session_scope(engine) as session:
        suggestion = _suggestion(session, suggestion_id)
        if suggestion.status != "proposed":
            raise ReviewError(f"suggestion {suggestion_id} is {suggestion.status} already")
        proposal = dict(suggestion.proposal)
        role = changes.get("role", proposal.get("role", suggestion.role))
        for name, value in changes.items():
            if name == "tactic" and value == NONE:
                if role == "action":
                    raise ReviewError(
                        "an action's tactic cannot be none: change its role if it reports none"
                    )
                old = (proposal.pop("action", None) or {}).get("tactic")
                records.audit(
                    session, actor=reviewer, record_type="suggestion",
                    record_id=str(suggestion_id), field="proposal.tactic", old=old, new=value,
                )  # fmt: skip
                continue
            if name == MORE_DEMANDS:
                if value != NONE:
                    raise ReviewError(
                        f'{MORE_DEMANDS} can only be "none": the post states one demand only'
                    )
                dropped = [d.get("text") for d in proposal.pop(MORE_DEMANDS, None) or []]
                records.audit(
                    session, actor=reviewer, record_type="suggestion",
                    record_id=str(suggestion_id), field="proposal.more_demands",
                    old="; ".join(str(t) for t in dropped), new=value,
                )  # fmt: skip
                continue
            if name in EDITABLE and value not in EDITABLE[name].values:
                allowed = ", ".join(EDITABLE[name].values)
                raise ReviewError(f"{name} must be one of {allowed}; got {value!r}")
            if name not in EDITABLE and name not in EDITABLE_TEXT and name not in (ANSWERED, MOVED):
                known = ", ".join([*EDITABLE, *EDITABLE_TEXT, ANSWERED, MOVED])
                raise ReviewError(f"cannot edit {name!r}; editable fields: {known}")
            if name == MOVED:
                old = _move_to_campaign(session, proposal, value)
                suggestion.campaign_id = proposal["campaign"]["id"]
                suggestion.demand_id = (proposal.get("demand") or {}).get("id")
            elif name == ANSWERED:
                old = _answer_instead(proposal, value)
                suggestion.demand_id = proposal["demand"]["id"]
                suggestion.campaign_id = proposal["campaign"]["id"]
            else:
                old = _apply_edit(proposal, name, value, suggestion.post_id)
            records.audit(
                session, actor=reviewer, record_type="suggestion", record_id=str(suggestion_id),
                field=f"proposal.{name}", old=old, new=value,
            )  # fmt: skip
        if "role" in changes:
            suggestion.role = changes["role"]
        suggestion.proposal = proposal
        return proposal


def _group(session: Session, company: str) -> dict[int, str]:
    """The companies of ``company``'s corporate group (those under the top of its parent
    chain), by id, with their names: a post read at Microsoft may belong to a campaign at
    Activision Blizzard, one at Google to a campaign at YouTube."""
    companies = {c.id: c for c in session.scalars(select(Company)).all() if c.id is not None}
    own = next((c for c in companies.values() if c.slug == company), None)
    if own is None:
        return {}
    root = top_parent(companies, own.id)
    return {
        company_id: c.name
        for company_id, c in companies.items()
        if top_parent(companies, company_id) is root
    }


def stored_campaigns(
    engine: Engine, company: str | None, limit: int = MOVE_CHOICES
) -> list[tuple[str, str]]:
    """The campaigns in the store at ``company`` (a registry slug), newest first, then those at
    the other companies of its group, newest first, each titled with its company's name, as
    (id, title): what a reviewer may put a post in instead of the one proposed (the first
    ``limit``; `review edit --campaign` takes any id)."""
    if not company:
        return []
    with Session(engine) as session:
        group = _group(session, company)
        if not group:
            return []
        rows = session.execute(
            select(col(Campaign.id), col(Campaign.title), col(Company.id), col(Company.slug))
            .join(Company, col(Company.id) == col(Campaign.company_id))
            .where(
                col(Company.id).in_(sorted(group)),
                col(Campaign.review_status).is_(None) | (col(Campaign.review_status) != "rejected"),
            )
            .order_by(
                (col(Company.slug) != company),
                col(Campaign.started_on).desc().nulls_last(),
                col(Campaign.id),
            )
            .limit(limit)
        ).all()
    return [
        (str(campaign_id), str(title) if slug == company else f"{title} ({group[company_id]})")
        for campaign_id, title, company_id, slug in rows
    ]


def _move_to_campaign(session: Session, proposal: dict[str, Any], campaign_id: str) -> Any:
    """Put the post in a campaign already in the store instead of the one proposed.

    The proposal takes that campaign's company and business unit; a response or outcome then
    answers its earliest demand, with the others offered as alternatives (``--demand`` picks
    one), or none when it has none. Returns the campaign it was in.
    """
    current = proposal.get("campaign") or {}
    if current.get("id") == campaign_id:
        return campaign_id
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise ReviewError(
            f"campaign must be the id of a campaign in the store (the Campaigns page and "
            f"`campaigns export` list them); got {campaign_id!r}"
        )
    moved = {"id": campaign.id, "title": campaign.title, "new": False}
    proposal["campaign"] = {**moved, "struggle": campaign.struggle}
    company = session.get(Company, campaign.company_id) if campaign.company_id else None
    if company is not None:
        proposal["company"] = company.slug
    proposal["business_unit"] = campaign.business_unit
    if proposal.get("role") in ("response", "outcome"):
        stored = session.scalars(
            select(Demand)
            .where(col(Demand.campaign_id) == campaign.id)
            .order_by(col(Demand.first_stated_on).asc().nulls_last(), col(Demand.id))
        ).all()
        found = [
            {
                "id": demand.id,
                "text": demand.text,
                "demand_type": demand.demand_type or "other",
                "first_stated_on": demand.first_stated_on.isoformat()
                if demand.first_stated_on
                else None,
                "stated_by_post": None,
            }
            for demand in stored
        ]
        proposal.pop("demand", None)
        if found:
            proposal["demand"] = {**found[0], "new": False}
        proposal["alternatives"] = [{**d, "campaign": moved, "score": None} for d in found[1:]]
    return current.get("id")


def _answer_instead(proposal: dict[str, Any], demand_id: str) -> str | None:
    """Point a response or outcome at another demand the engine found it may answer.

    The chosen alternative becomes the proposal's demand (and its campaign the proposal's
    campaign); the demand it replaces becomes an alternative, so the change can be undone.
    """
    current = proposal.get("demand") or {}
    if current.get("id") == demand_id:
        return demand_id
    if proposal.get("role") not in ("response", "outcome"):
        raise ReviewError("only a response or an outcome answers a demand")
    alternatives = list(proposal.get("alternatives") or [])
    chosen = next((a for a in alternatives if a.get("id") == demand_id), None)
    if chosen is None:
        known = ", ".join(str(a.get("id")) for a in alternatives) or "none"
        raise ReviewError(
            f"demand must be one the engine found this post may answer ({known}); got {demand_id!r}"
        )
    alternatives.remove(chosen)
    if current:
        alternatives.insert(0, {**current, "campaign": proposal.get("campaign"), "score": None})
    proposal["demand"] = {
        **{k: v for k, v in chosen.items() if k not in ("campaign", "score")},
        "new": False,
    }
    proposal["campaign"] = chosen["campaign"]
    proposal["alternatives"] = [{k: v for k, v in a.items() if k != "new"} for a in alternatives]
    return current.get("id")


def _apply_edit(proposal: dict[str, Any], name: str, value: str, post_id: int) -> Any:
    day = proposal.get("post", {}).get("posted_on")
    section = {
        "demand_type": ("demand", "demand_type"),
        "demand_text": ("demand", "text"),
        "response_type": ("response", "response_type"),
        "summary": ("response", "summary"),
        "tactic": ("action", "tactic"),
        "outcome": ("outcome", "value"),
        "campaign_title": ("campaign", "title"),
        "struggle": ("campaign", "struggle"),
    }.get(name)
    if section is None:
        old = proposal.get(name)
        proposal[name] = value
        return old
    key, field = section
    part = dict(proposal.get(key) or {})
    old = part.get(field)
    part[field] = value
    if key == "response":
        part.setdefault("id", f"resp-{post_id}")
        part.setdefault("responded_on", day)
    elif key == "action":
        part.setdefault("id", f"act-{post_id}")
        part.setdefault("happened_on", day)
    elif key == "outcome":
        part.setdefault("on", day)
    elif key == "demand":
        if "id" not in part:  # a demand the reviewer adds: this post states it
            part["stated_by_post"] = post_id
        part.setdefault("id", f"dem-{post_id}")
        part.setdefault("first_stated_on", day)
    proposal[key] = part
    return old
