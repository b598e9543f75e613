"""`campaigns link`: run the engine over stored posts not yet read and queue suggestions.

Incremental and idempotent: a post is read once (``linked_post`` remembers it, with what the
engine concluded, as context for later runs), and a suggestion's fingerprint is unique, so a
rerun proposes nothing twice and a rejected suggestion is never proposed again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, delete, func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from campaigns.linking.context import MAX_EARLIER, WINDOW_DAYS
from campaigns.linking.decide import ANSWERS
from campaigns.linking.engine import ADOPTION_REACH, DECISIVE, ENGINE_VERSION, LinkingEngine
from campaigns.linking.grouping import ANSWER_WINDOW, RECORDED, WINDOW, DemandState
from campaigns.linking.model import LinkRun, PostInput, PostLink, clean_text
from campaigns.registry import registry_from_store
from campaigns.text import stable_id
from connectors.links import outbound_links
from db.engine import session_scope
from db.models import (
    AuditEntry,
    Campaign,
    Company,
    Demand,
    LinkedPost,
    Organization,
    Post,
    Source,
    Suggestion,
)

BATCH = 20000  # posts per engine run; context comes from the posts linked before


@dataclass
class LinkSummary:
    posts_read: int = 0
    suggestions_created: int = 0
    suggestions_known: int = 0
    by_role: dict[str, int] | None = None
    suggestions_replaced: int = 0  # waiting suggestions dropped before reading again
    # employers the posts name that the registry does not know, with how many posts name each
    unknown_employers: dict[str, int] = field(default_factory=dict)


def post_input(post: Post, source_company: str | None = None) -> PostInput:
    return PostInput(
        key=str(post.id),
        text=post.text or "",
        posted_at=post.posted_at,
        platform=post.platform,
        author_handle=post.author_handle,
        url=post.url,
        lang=post.lang,
        source_kind=post.source_kind,
        quote_of_url=post.quote_of_url,
        reply_to_url=post.reply_to_url,
        links=tuple(outbound_links(post.platform, post.raw)),
        source_company=source_company,
    )


def source_companies(session: Session) -> dict[int, str]:
    """For each source that speaks for a company, that company's slug: a company's own account
    (its owner), or a worker group whose organisation names its employer."""
    owned = session.execute(
        select(col(Source.id), col(Company.slug)).join(
            Company, col(Company.id) == col(Source.owner_company_id)
        )
    ).all()
    employers = session.execute(
        select(col(Source.id), col(Company.slug))
        .join(Organization, col(Organization.id) == col(Source.owner_organization_id))
        .join(Company, col(Company.id) == col(Organization.employer_id))
    ).all()
    return {source: slug for source, slug in [*employers, *owned]}


def fingerprint(post_id: int, role: str, campaign_key: str | None, demand_key: str | None) -> str:
    """What makes two suggestions the same, whatever the engine version or score."""
    raw = "\x1f".join([str(post_id), role, campaign_key or "", demand_key or ""])
    return hashlib.sha256(raw.encode()).hexdigest()


# the posts of an older campaign that say what it asks: what a late answer links to
ASKING = ("demand", "action")


def _context(session: Session, since: datetime | None) -> list[PostLink]:
    """The earlier posts a run places its posts among: every campaign post within the window,
    the demands and actions of older campaigns an answer may still come back to (within
    ``ANSWER_WINDOW``, as in one run), and the recent posts that named no company and found no
    campaign (a campaign forming in this run may take them in)."""
    linked, posted_at = LinkedPost.__table__.c, Post.__table__.c.posted_at  # type: ignore[attr-defined]
    placed = linked.campaign_key.is_not(None)
    unplaced = (
        linked.campaign_key.is_(None) & linked.company_slug.is_(None) & (linked.role != "other")
    )
    query = select(LinkedPost, Post).join(Post, Post.id == LinkedPost.post_id)  # type: ignore[arg-type]
    if since is None:
        query = query.where(placed | unplaced)
    else:
        query = query.where(
            (placed & (posted_at >= since - WINDOW))
            | (placed & linked.role.in_(ASKING) & (posted_at >= since - ANSWER_WINDOW))
            | (unplaced & (posted_at >= since - ADOPTION_REACH))
        )
    links = [_stored_link(linked, post) for linked, post in session.execute(query).all()]
    turned_down = _rejected_posts(session, [int(link.post.key) for link in links])
    for link in links:
        link.rejected = int(link.post.key) in turned_down
    return links


@dataclass(frozen=True)
class StoredDemand:
    """A demand in the store, as plain values read once per `campaigns link` call."""

    demand_id: str
    text: str
    demand_type: str | None
    day: date
    campaign_id: str
    campaign_title: str
    business_unit: str | None
    # the campaign's company as the engine codes campaigns (companies.campaign_company): a
    # campaign stored at Blizzard Entertainment is the engine's Activision Blizzard, unit
    # Blizzard Entertainment, so the posts the engine reads that way find it
    coded_company: str
    coded_unit: str | None = None


def stored_demands(
    session: Session, coding: Callable[[str], tuple[str, str | None]]
) -> list[StoredDemand]:
    """The store's demands at a known company that may stand in as context (see
    ``recorded_demands``): rejected records and demands with neither a date nor a campaign
    start are left out. ``coding`` gives a company slug as the engine codes a campaign's
    company and unit (the linking engine's resolver)."""
    rows = session.execute(
        select(Demand, Campaign, col(Company.slug))
        .join(Campaign, col(Campaign.id) == col(Demand.campaign_id))
        .join(Company, col(Company.id) == col(Campaign.company_id))
        .order_by(col(Demand.id))
    ).all()
    found = []
    for demand, campaign, slug in rows:
        day = demand.first_stated_on or campaign.started_on
        if day is None or "rejected" in (demand.review_status, campaign.review_status):
            continue
        coded_company, coded_unit = coding(slug)
        found.append(
            StoredDemand(
                demand_id=demand.id,
                text=demand.text,
                demand_type=demand.demand_type,
                day=day,
                campaign_id=campaign.id,
                campaign_title=campaign.title,
                business_unit=campaign.business_unit,
                coded_company=coded_company,
                coded_unit=coded_unit,
            )
        )
    return found


def recorded_demands(stored: Sequence[StoredDemand], context: Sequence[PostLink]) -> list[PostLink]:
    """The stored demands that no post in ``context`` states (coded by hand, imported from a
    file, the demo), each as a demand post of its campaign dated when it was first stated (or
    when the campaign started): a post about the campaign joins it and an answer links to its
    demand, where a new campaign would be proposed beside it. A demand the engine found comes
    back through its post."""
    stated = {link.demand_key for link in context if link.role == "demand" and link.demand_key}
    return [
        PostLink(
            post=PostInput(
                key=f"{RECORDED}:{demand.demand_id}",
                text=demand.text,
                posted_at=datetime(demand.day.year, demand.day.month, demand.day.day, tzinfo=UTC),
                platform=RECORDED,
            ),
            role="demand",
            company=demand.coded_company,
            named_company=demand.coded_company,
            business_unit=demand.business_unit or demand.coded_unit,
            campaign_key=demand.campaign_id,
            demand_key=demand.demand_id,
            demand_type=demand.demand_type,
            score=1.0,
            role_score=1.0,
            recorded=demand.campaign_title,
        )
        for demand in stored
        if demand.demand_id not in stated
    ]


def _rejected_posts(session: Session, post_ids: list[int]) -> set[int]:
    """The posts among ``post_ids`` whose suggestion a reviewer rejected and none accepted.

    Reviewed suggestions are as many as people decided on (the status is indexed), so they are
    read whole rather than by the context's ids."""
    decided: dict[str, set[int]] = {"accepted": set(), "rejected": set()}
    query = select(col(Suggestion.post_id), col(Suggestion.status)).where(
        col(Suggestion.status).in_(list(decided))
    )
    for post_id, status in session.execute(query).all():
        decided[status].add(post_id)
    return (decided["rejected"] - decided["accepted"]) & set(post_ids)


def _stored_link(linked: LinkedPost, post: Post) -> PostLink:
    """What an earlier run concluded about ``post``, as the engine's context."""
    return PostLink(
        post=post_input(post),
        role=linked.role,
        company=linked.company_slug,
        named_company=linked.named_company,
        business_unit=linked.business_unit,
        campaign_key=linked.campaign_key,
        demand_key=linked.demand_key,
        score=linked.score,
        role_score=linked.role_score,
    )


def _earlier(session: Session, start: datetime | None) -> list[PostLink]:
    """The linked posts before ``start`` that the run's echoes compare with: for each company
    its text names (and for all posts together) the latest ``MAX_EARLIER`` within the window,
    which is every post a run over the whole history would compare with."""
    if start is None:
        return []
    post_table, linked_table = Post.__table__, LinkedPost.__table__  # type: ignore[attr-defined]
    post, linked = post_table.c, linked_table.c
    window = (post.posted_at < start) & (post.posted_at >= start - timedelta(days=WINDOW_DAYS))
    newest = (post.posted_at.desc(), post.id.desc())
    ranked = (
        select(
            post.id.label("post_id"),
            func.row_number()
            .over(partition_by=linked.named_company, order_by=newest)
            .label("by_company"),
            func.row_number().over(order_by=newest).label("overall"),
        )
        .select_from(linked_table.join(post_table, post.id == linked.post_id))
        .where(window)
        .subquery()
    )
    chosen = select(ranked.c.post_id).where(
        (ranked.c.by_company <= MAX_EARLIER) | (ranked.c.overall <= MAX_EARLIER)
    )
    query = (
        select(LinkedPost, Post)
        .join(Post, Post.id == LinkedPost.post_id)  # type: ignore[arg-type]
        .where(Post.id.in_(chosen))  # type: ignore[union-attr]
    )
    return [_stored_link(linked, post) for linked, post in session.execute(query).all()]


def _demand_info(demand: DemandState) -> dict[str, Any]:
    """What a proposal says of a demand the engine found (stated, or answered)."""
    return {
        "id": demand.key,
        "text": demand.text,
        "demand_type": demand.demand_type or "other",
        "first_stated_on": demand.stated_at.date().isoformat() if demand.stated_at else None,
        "stated_by_post": int(demand.post_key) if demand.post_key.isdigit() else None,
    }


def _listed(run: LinkRun, link: PostLink) -> list[dict[str, Any]]:
    """The further demands a post lists after its first ("Our demands: A, B, and C")."""
    return [
        {**_demand_info(run.demands[key]), "new": run.demands[key].post_key == link.post.key}
        for key in link.more_demands
        if key in run.demands
    ]


def _campaign_info(run: LinkRun, demand_key: str) -> dict[str, Any]:
    """The campaign of a demand, as a proposal's ``campaign`` section says it."""
    key = run.demands[demand_key].campaign_key
    campaign = run.campaigns.get(key)
    return {"id": key, "title": campaign.title if campaign else key, "new": False}


MAX_EARLIER_DEMANDS = 5  # a demand's proposal offers at most these as what it may answer
# the roles in which a worker group speaks for its campaign: its demand, its action
SPEAKS = ("demand", "action")


def _worker_groups(session: Session, posts: Sequence[Post]) -> dict[int, dict[str, Any]]:
    """For each worker-group source among ``posts``' sources, the organisation that owns it
    (a worker group: never a person), as a proposal names it."""
    ids = {p.source_id for p in posts if p.source_id is not None}
    if not ids:
        return {}
    rows = session.execute(
        select(col(Source.id), col(Organization.id), col(Organization.name))
        .join(Organization, col(Organization.id) == col(Source.owner_organization_id))
        .where(col(Source.id).in_(ids), col(Source.kind) == "worker_group")
    ).all()
    return {source: {"id": group, "name": name} for source, group, name in rows}


def _proposal(
    link: PostLink, run: LinkRun, post: Post, group: dict[str, Any] | None = None
) -> dict[str, Any]:
    campaign = run.campaigns.get(link.campaign_key or "")
    day = post.posted_at.date().isoformat() if post.posted_at else None
    proposal: dict[str, Any] = {
        "role": link.role,
        "company": link.company,
        "business_unit": link.business_unit,
        "post": {"id": post.id, "url": post.url, "posted_on": day, "kind": post.source_kind},
        "campaign": {
            "id": link.campaign_key,
            "title": campaign.title if campaign else clean_text(post.text)[:80],
            "new": link.new_campaign,
        },
    }
    if campaign is not None and campaign.struggle:
        proposal["campaign"]["struggle"] = campaign.struggle
    if group is not None:  # the campaign's worker group: the one whose account posted this
        proposal["worker_group"] = group
    demand = run.demands.get(link.demand_key or "")
    if demand is not None:
        proposal["demand"] = {**_demand_info(demand), "new": link.new_demand}
        if link.role in SPEAKS and (listed := _listed(run, link)):
            proposal["more_demands"] = listed
    if link.role in ANSWERS:
        alternatives = [
            {**_demand_info(run.demands[key]), "campaign": _campaign_info(run, key), "score": score}
            for key, score in link.alternatives
            if key in run.demands
        ]
        if alternatives:
            proposal["alternatives"] = alternatives
    elif link.role == "demand" and campaign is not None:
        # the campaign's demands stated before it: what the post answers instead if a reviewer
        # reads it as a response or outcome ("WON: the court confirms it" read as a demand)
        earlier = [
            d
            for d in campaign.demands
            if d.key != link.demand_key
            and (d.stated_at is None or post.posted_at is None or d.stated_at <= post.posted_at)
        ]
        if earlier:
            proposal["alternatives"] = [
                {**_demand_info(d), "campaign": _campaign_info(run, d.key), "score": None}
                for d in earlier[:MAX_EARLIER_DEMANDS]
            ]
    if link.role == "action" or link.tactic:  # a demand's or an answer's post may report one
        proposal["action"] = {
            "id": stable_id("act", post.id),
            "tactic": link.tactic or "other",
            "happened_on": day,
            "description": clean_text(post.text)[:500],
        }
    if link.role == "response" or (link.role == "outcome" and link.response_type in DECISIVE):
        # an outcome report that says how the company gave way or refused ("AWS has stopped
        # hosting Parler, a win for the workers") is evidence of that response too
        proposal["response"] = {
            "id": stable_id("resp", post.id),
            "response_type": link.response_type or "statement",
            "responded_on": day,
            "summary": clean_text(post.text)[:500],
        }
    if link.role in ANSWERS and link.outcome:
        proposal["outcome"] = {"value": link.outcome, "on": day}
    return proposal


def forget_readings(engine: Engine) -> int:
    """Forget what the engine concluded about every post, so the next run reads them all again
    (after an edit of the company registry, or a new engine version).

    Only the engine's own work goes: its readings and the suggestions still waiting for a
    reviewer that no reviewer edited (the next run proposes them again, from the new reading).
    Accepted and rejected suggestions stay, so their records stay and a rejection is still
    remembered; an edited suggestion stays as the reviewer left it. One transaction: all or
    nothing. Returns how many waiting suggestions were dropped.
    """
    with session_scope(engine) as session:
        edited = select(col(AuditEntry.record_id)).where(
            col(AuditEntry.record_type) == "suggestion"
        )
        dropped = session.execute(
            delete(Suggestion).where(
                col(Suggestion.status) == "proposed",
                cast(col(Suggestion.id), String).not_in(edited),
            )
        )
        session.execute(delete(LinkedPost))
        return int(dropped.rowcount or 0)  # type: ignore[attr-defined]


def relink_posts(engine: Engine, *, limit: int | None = None) -> LinkSummary:
    """Read every stored post again: ``forget_readings`` then ``link_posts``. A post whose
    suggestion a reviewer decided or edited gets no new one (its new reading is kept as the
    engine's context). If the reading stops part way, the next ``link_posts`` reads the posts not
    read yet; nothing decided is lost."""
    replaced = forget_readings(engine)
    with session_scope(engine) as session:  # what stays: decided, or edited by a reviewer
        kept = frozenset(session.scalars(select(col(Suggestion.post_id))).all())
    summary = link_posts(engine, limit=limit, decided=kept)
    summary.suggestions_replaced = replaced
    return summary


def link_posts(
    engine: Engine, *, limit: int | None = None, decided: frozenset[int] = frozenset()
) -> LinkSummary:
    """Read every stored post the engine has not read yet; queue its suggestions (none for the
    posts in ``decided``, whose suggestions a reviewer has decided or edited already)."""
    summary = LinkSummary(by_role={})
    linker: LinkingEngine | None = None
    speaks_for: dict[int, str] = {}
    stored: list[StoredDemand] = []
    while True:
        with session_scope(engine) as session:
            done = select(LinkedPost.__table__.c.post_id)  # type: ignore[attr-defined]
            query = (
                select(Post)
                .where(Post.id.not_in(done))  # type: ignore[union-attr]
                .order_by(Post.posted_at, Post.id)  # type: ignore[arg-type]
                .limit(min(BATCH, limit - summary.posts_read) if limit else BATCH)
            )
            posts: Sequence[Post] = session.scalars(query).all()
            if not posts:
                return summary
            if linker is None:  # the registry, the sources' companies and the stored demands,
                # read once per call (the run accepts nothing)
                linker = LinkingEngine(registry_from_store(session))
                speaks_for = source_companies(session)
                stored = stored_demands(session, linker.resolver.campaign_company)
            dated = [p.posted_at for p in posts if p.posted_at is not None]
            start = min(dated) if dated else None
            context = _context(session, start)
            context += recorded_demands(stored, context)
            inputs = [post_input(p, speaks_for.get(p.source_id or 0)) for p in posts]
            run = linker.run(inputs, context, _earlier(session, start))
            _store(session, run, {str(p.id): p for p in posts}, summary, decided)
            summary.posts_read += len(posts)
            if limit and summary.posts_read >= limit:
                return summary


def _store(
    session: Session,
    run: LinkRun,
    posts: dict[str, Post],
    summary: LinkSummary,
    decided: frozenset[int] = frozenset(),
) -> None:
    assert summary.by_role is not None
    placed = []
    for link in run.links:
        post = posts[link.post.key]
        assert post.id is not None
        session.add(
            LinkedPost(
                post_id=post.id,
                engine_version=ENGINE_VERSION,
                role=link.role,
                company_slug=link.company,
                named_company=link.named_company,
                business_unit=link.business_unit,
                campaign_key=link.campaign_key,
                demand_key=link.demand_key,
                score=link.score,
                role_score=link.role_score,
            )
        )
        placed.append((post, link))
    for link in run.adopted:  # earlier posts that joined a campaign formed in this run
        linked = session.get(LinkedPost, int(link.post.key))
        earlier = session.get(Post, int(link.post.key))
        assert linked is not None and earlier is not None
        linked.company_slug, linked.business_unit = link.company, link.business_unit
        linked.campaign_key, linked.demand_key = link.campaign_key, link.demand_key
        linked.score = link.score
        placed.append((earlier, link))
    for link in run.stating:
        earlier = _states_demand(session, run, link)
        if earlier is not None:
            placed.append((earlier, link))
    _queue(session, run, [(p, link) for p, link in placed if p.id not in decided], summary)


def _states_demand(session: Session, run: LinkRun, link: PostLink) -> Post | None:
    """An action of an earlier run states the demand an answer of this run takes up: its
    stored link gets the demand, and its suggestion still waiting for a reviewer proposes the
    demand too. Returns the post when a new suggestion is needed instead (the first one was
    accepted), None when none is (it was updated, or rejected)."""
    post_id = int(link.post.key)
    linked, post = session.get(LinkedPost, post_id), session.get(Post, post_id)
    assert linked is not None and post is not None and link.demand_key
    linked.demand_key = link.demand_key
    earlier = session.scalars(
        select(Suggestion).where(
            col(Suggestion.post_id) == post_id,
            col(Suggestion.role) == "action",
            col(Suggestion.campaign_id) == link.campaign_key,
        )
    ).all()
    if any(s.status == "rejected" for s in earlier):
        return None  # the reviewer said this action is not of the campaign
    waiting = [s for s in earlier if s.status == "proposed"]
    if not waiting:
        link.reasons.insert(0, "read as action when it was first linked")
        return post
    demand = {**_demand_info(run.demands[link.demand_key]), "new": True}
    print_ = fingerprint(post_id, "action", link.campaign_key, link.demand_key)
    if session.scalars(
        select(col(Suggestion.id)).where(col(Suggestion.fingerprint) == print_)
    ).first():
        return None  # proposed already
    suggestion = waiting[0]
    suggestion.proposal = {**suggestion.proposal, "demand": demand}
    if listed := _listed(run, link):
        suggestion.proposal = {**suggestion.proposal, "more_demands": listed}
    suggestion.demand_id = link.demand_key
    suggestion.fingerprint = print_
    suggestion.reasons = list(dict.fromkeys([*suggestion.reasons, *link.reasons]))
    return None


@dataclass(frozen=True)
class CodedCampaign:
    """How a campaign already in the store is coded: its struggle, company and unit."""

    struggle: str | None
    company: str | None
    business_unit: str | None


def _coded_campaigns(session: Session, keys: set[str]) -> dict[str, CodedCampaign]:
    """The stored campaigns among ``keys``, as coded."""
    rows = session.execute(
        select(
            col(Campaign.id), col(Campaign.struggle), col(Company.slug), col(Campaign.business_unit)
        )
        .outerjoin(Company, col(Company.id) == col(Campaign.company_id))
        .where(col(Campaign.id).in_(sorted(keys)))
    ).all()
    return {str(key): CodedCampaign(*values) for key, *values in rows}


def _as_coded(proposal: dict[str, Any], coded: CodedCampaign) -> None:
    """A post joining a stored campaign is proposed at the campaign's company as stored (the
    engine's reading may be another company of its group, or the same one coded as a unit of
    its parent: a campaign stored at Blizzard Entertainment is the engine's Activision
    Blizzard, unit Blizzard Entertainment). The unit read from the post is kept only where the
    record has none and the companies agree."""
    if coded.company is None:
        return
    if coded.business_unit or coded.company != proposal.get("company"):
        proposal["business_unit"] = coded.business_unit
    proposal["company"] = coded.company


def _queue(
    session: Session, run: LinkRun, placed: list[tuple[Post, PostLink]], summary: LinkSummary
) -> None:
    """A suggestion for each campaign post, unless the same one was made (or rejected) before."""
    assert summary.by_role is not None
    prints = []
    for post, link in placed:
        assert post.id is not None
        if link.unknown_employer:
            named = summary.unknown_employers
            named[link.unknown_employer] = named.get(link.unknown_employer, 0) + 1
        if link.role == "other" or link.campaign_key is None:
            continue
        prints.append(
            (fingerprint(post.id, link.role, link.campaign_key, link.demand_key), post, link)
        )
    groups = _worker_groups(session, [post for _, post, link in prints if link.role in SPEAKS])
    known = set(
        session.scalars(
            select(Suggestion.__table__.c.fingerprint).where(  # type: ignore[attr-defined]
                Suggestion.fingerprint.in_([f for f, _, _ in prints])  # type: ignore[attr-defined]
            )
        ).all()
    )
    coded = _coded_campaigns(session, {link.campaign_key or "" for _, _, link in prints})
    for print_, post, link in prints:
        if print_ in known:
            summary.suggestions_known += 1
            continue
        known.add(print_)
        assert post.id is not None
        proposal = _proposal(link, run, post, groups.get(post.source_id or 0))
        reasons = list(dict.fromkeys(link.reasons))
        stored = coded.get(link.campaign_key or "")
        if stored is not None:
            _as_coded(proposal, stored)
        if stored is not None and stored.struggle:
            # a stored campaign's struggle, as coded, not the engine's reading
            proposal["campaign"]["struggle"] = stored.struggle
            read = run.campaigns.get(link.campaign_key or "")
            reasons = [r for r in reasons if not read or r != read.struggle_reason]
            reasons.append(f"the campaign is coded as about {stored.struggle} already")
        session.add(
            Suggestion(
                post_id=post.id,
                role=link.role,
                campaign_id=link.campaign_key,
                demand_id=link.demand_key,
                response_id=stable_id("resp", post.id) if link.role == "response" else None,
                proposal=proposal,
                score=link.score,
                reasons=reasons,
                model_version=ENGINE_VERSION,
                fingerprint=print_,
            )
        )
        summary.suggestions_created += 1
        summary.by_role[link.role] = summary.by_role.get(link.role, 0) + 1
    session.flush()
