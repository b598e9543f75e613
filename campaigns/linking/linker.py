"""Linking a response or outcome post to the demand it most likely answers.

Candidates are the demands of the post's campaign and of the company's other open campaigns
(at a cost). Each is scored on an explicit reference (the post quotes, replies to or links a post
stating it), text similarity, a matching demand type, being its campaign's first demand and
time order (a response comes after the demand; how long after does not count, since outcomes
are reported years later). The weights were chosen by campaign-grouped cross-validation on the
train split (scripts/tune_linking.py), checked on dev.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from campaigns.linking.grouping import CampaignState, DemandState
from campaigns.linking.vectors import SparseVector
from campaigns.text import count_days

# below this no demand fits (0.05 before 0.7.0, 0.125 before 0.12.0: more weak links, fewer right)
LINK_FLOOR = 0.1875
ALTERNATIVE_FLOOR = 0.125  # a weaker fit is still offered to the reviewer to pick
EARLY_SLACK_DAYS = 60  # groups restate a demand after the first reply, so allow some
CONTEXT_WEIGHT = 0.5  # similarity with the demand's campaign as a whole
OTHER_CAMPAIGN_COST = 0.15  # a demand of another campaign must fit clearly better
OTHER_COMPANY_COST = 0.1  # and one at a parent or subsidiary better still
ORPHAN_COST = 0.075  # half that when the post's own campaign states no demand to answer
BASE_SCORE = 0.2
REFERENCE_BONUS = 1.0  # the post quotes, replies to or links a post stating it
TYPE_BONUS = 0.05
EARLY_COST = 0.3  # dated well before the demand
# a campaign is known by its first demand and what comes back mostly answers it: train CV link
# 0.474 -> 0.485, unseen sets' pooled link 0.684 -> 0.711; dev 0.878 -> 0.857 (one outcome whose
# campaign had been grouped with another's); 0.1 the same on CV and the unseen sets, dev lower
FIRST_DEMAND_BONUS = 0.05
MAX_ALTERNATIVES = 3  # next best demands kept for a reviewer to pick instead


@dataclass
class DemandChoice:
    demand: DemandState | None
    score: float
    reasons: list[str]
    # the next best demands (score, demand), best first: what a reviewer may pick instead
    alternatives: list[tuple[float, DemandState]] = field(default_factory=list)


def choose_demand(
    campaign: CampaignState | None,
    *,
    at: datetime | None,
    vector: SparseVector,
    demand_type: str | None,
    referenced_posts: set[str],
    others: Sequence[CampaignState] = (),
    company: str | None = None,
) -> DemandChoice:
    """The demand a response or outcome answers, with its score and reasons.

    Candidates are the demands of the post's own campaign and, at a cost, those of the
    company's other open campaigns (``others``, which may include campaigns at other companies of
    its group, at a further cost): a report that shares few words with the posts around it can be
    grouped apart from the demand it answers, and a parent answers for its subsidiary.
    """
    pool = [(campaign, True)] if campaign is not None else []
    own_demands = campaign is not None and bool(campaign.demands)
    pool += [(c, False) for c in others if c is not campaign]
    scored: list[tuple[float, DemandState, list[str]]] = []
    for owner, own in pool:
        if not owner.demands:
            continue
        context = owner.centroid.similarity(vector)
        for n, demand in enumerate(owner.demands):
            score, reasons = _demand_score(demand, at, vector, demand_type, referenced_posts)
            score += CONTEXT_WEIGHT * context
            if own and n == 0 and len(owner.demands) > 1:
                score += FIRST_DEMAND_BONUS
                reasons.append("the campaign's first demand")
            if own:
                reasons.insert(0, "a demand of the post's campaign")
            else:
                score -= OTHER_CAMPAIGN_COST if own_demands else ORPHAN_COST
                reasons.insert(0, f"a demand of the company's campaign '{owner.title[:50]}'")
            if company is not None and owner.company != company:
                score -= OTHER_COMPANY_COST
                reasons.insert(1, f"a demand at {owner.company}, of the same group as {company}")
            scored.append((score, demand, reasons))
    if not scored:
        return DemandChoice(None, 0.0, ["no demand stated at this company yet"])
    # the first of equal scores wins (stable sort), as the engine has always picked
    scored.sort(key=lambda item: -item[0])
    best = scored[0]
    if best[0] < LINK_FLOOR:  # none fits well enough to link, the best may still be offered
        return DemandChoice(
            None, best[0], ["no demand of this company fits"], _offered(scored[:MAX_ALTERNATIVES])
        )
    return DemandChoice(
        best[1], min(best[0], 1.0), best[2], _offered(scored[1 : 1 + MAX_ALTERNATIVES])
    )


def _offered(
    scored: Sequence[tuple[float, DemandState, list[str]]],
) -> list[tuple[float, DemandState]]:
    return [(min(score, 1.0), demand) for score, demand, _ in scored if score >= ALTERNATIVE_FLOOR]


def _demand_score(
    demand: DemandState,
    at: datetime | None,
    vector: SparseVector,
    demand_type: str | None,
    referenced_posts: set[str],
) -> tuple[float, list[str]]:
    similarity = demand.centroid.similarity(vector)
    score = BASE_SCORE + similarity
    reasons = [f"text similarity {similarity:.2f} with the demand"]
    if referenced_posts & demand.post_keys:
        score += REFERENCE_BONUS
        reasons.append(
            "refers to the post stating the demand (quotes, replies to or shares a link)"
        )
    if demand_type and demand.demand_type == demand_type:
        score += TYPE_BONUS
        reasons.append(f"same demand type {demand_type}")
    if at is not None and demand.stated_at is not None:
        days = (at - demand.stated_at).total_seconds() / 86400
        if days < -EARLY_SLACK_DAYS:
            score -= EARLY_COST
            reasons.append(f"dated {count_days(-days)} before the demand")
        else:  # how long after does not count: outcomes come years later
            reasons.append(
                f"{count_days(max(days, 0.0))} after the demand of "
                f"{demand.stated_at.date().isoformat()}"
            )
    return score, reasons
