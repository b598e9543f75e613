"""Linking a response or outcome post to the demand it most likely answers.

Candidates are the demands of the post's campaign. Each is scored on an explicit reference
(the post quotes or replies to a post stating it), text similarity, a matching demand type and
time order (a response comes after the demand; a long gap counts against it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from campaigns.linking.grouping import CampaignState, DemandState
from campaigns.linking.vectors import SparseVector

LINK_FLOOR = 0.05
EARLY_SLACK_DAYS = 60  # groups restate a demand after the first reply, so allow some


@dataclass
class DemandChoice:
    demand: DemandState | None
    score: float
    reasons: list[str]


def choose_demand(
    campaign: CampaignState | None,
    *,
    at: datetime | None,
    vector: SparseVector,
    demand_type: str | None,
    referenced_posts: set[str],
) -> DemandChoice:
    """The demand a response or outcome answers, with its score and reasons."""
    if campaign is None or not campaign.demands:
        return DemandChoice(None, 0.0, ["no demand stated in this campaign yet"])
    best: tuple[float, DemandState, list[str]] | None = None
    for demand in campaign.demands:
        similarity = demand.centroid.similarity(vector)
        score = 0.2 + similarity
        reasons = [f"text similarity {similarity:.2f} with the demand"]
        if referenced_posts & demand.post_keys:
            score += 1.0
            reasons.append("quotes or replies to the post stating the demand")
        if demand_type and demand.demand_type == demand_type:
            score += 0.1
            reasons.append(f"same demand type {demand_type}")
        if at is not None and demand.stated_at is not None:
            days = (at - demand.stated_at).total_seconds() / 86400
            if days < -EARLY_SLACK_DAYS:
                score -= 0.3
                reasons.append(f"dated {-days:.0f} days before the demand")
            else:
                score -= min(max(days, 0.0), 1460) / 1460 * 0.15
                reasons.append(
                    f"{max(days, 0.0):.0f} days after the demand of "
                    f"{demand.stated_at.date().isoformat()}"
                )
        if best is None or score > best[0]:
            best = (score, demand, reasons)
    assert best is not None
    if best[0] < LINK_FLOOR:
        return DemandChoice(None, best[0], ["no demand of this campaign fits"])
    return DemandChoice(best[1], min(best[0], 1.0), best[2])
