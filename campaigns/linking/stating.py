"""How a campaign comes to state its demands: a demand post states one (or each item of the list
it gives) or restates one stated before; and where an answer finds its campaign has stated
none, an earlier action that asks for something, or an earlier answer whose next likeliest
reading is asking, is taken to state it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from campaigns.linking.decide import ANSWERS, asking_is_next
from campaigns.linking.detect import detect_outcome, type_demand
from campaigns.linking.grouping import CampaignIndex, CampaignState, DemandState, demand_key_for
from campaigns.linking.model import LinkRun, PostLink, clean_text, link_sort_key, suggestion_score
from campaigns.linking.roles import demand_phrases
from campaigns.linking.vectors import SparseVector, cosine

RESTATE_THRESHOLD = 0.30


def campaign_title(link: PostLink) -> str:
    """A campaign's title: the lead of the post that names it, cut at a word (a stored
    campaign keeps its own)."""
    text = link.recorded or clean_text(link.post.text)
    return (text[:80].rsplit(" ", 1)[0] + "…") if len(text) > 80 else text


def new_demand(
    campaign: CampaignState, link: PostLink, key: str, item: str | None = None
) -> DemandState:
    """A demand the post states: the whole post, or ``item`` of a list it gives."""
    demand_type = link.demand_type
    if item is not None:  # read on its own: "masks in every store" names no type
        demand_type = type_demand(item).value
    demand = DemandState(
        key=key,
        campaign_key=campaign.key,
        post_key=link.post.key,
        stated_at=link.post.posted_at,
        demand_type=demand_type,
        text=item or clean_text(link.post.text)[:300],
    )
    if not campaign.demands:
        # a campaign is known by what it asks: its first demand names it, not whichever
        # action or report came in first
        campaign.title = campaign_title(link)
    campaign.demands.append(demand)
    if demand_type:
        campaign.demand_types.add(demand_type)
    return demand


def by_campaign(
    links: Sequence[PostLink], keep: Callable[[PostLink], bool]
) -> dict[str, list[PostLink]]:
    """The links ``keep`` keeps, by campaign, in the order given."""
    found: dict[str, list[PostLink]] = {}
    for link in links:
        if link.campaign_key and keep(link):
            found.setdefault(link.campaign_key, []).append(link)
    return found


def open_action(link: PostLink) -> bool:
    """An action post that states no demand (and that no reviewer rejected): one that may turn
    out to state it. Its words are read only when an answer needs them."""
    return link.role == "action" and not (link.demand_key or link.rejected)


def answer_asking(link: PostLink) -> bool:
    """An answer whose next likeliest reading is asking, or that asks in so many words ("the
    unions are now calling on the company to ..." after a ruling), not in the company's own
    voice: ``demand_misread`` may read it as its campaign's demand."""
    if link.role not in ANSWERS or link.rejected:
        return False
    if _asks_aloud(link):
        return True
    return asking_is_next(link.role_scores) and not _says_it_was_won(link)


def _says_it_was_won(link: PostLink) -> bool:
    """The post says in so many words that a demand was won ("won the vote 46-37"): an outcome,
    whatever the model's second reading. Words saying a demand was not met or met in part are
    not enough (a demand to keep a repository up says it "is still up")."""
    return detect_outcome(clean_text(link.post.text)).value == "met"


def _asks_aloud(link: PostLink) -> list[str]:
    """The phrases by which a post not in the company's own voice asks for something."""
    if link.post.source_kind == "company":
        return []
    return demand_phrases(clean_text(link.post.text).lower())


def demand_from_action(
    answer: PostLink,
    vectors: dict[str, SparseVector],
    index: CampaignIndex,
    actions: dict[str, list[PostLink]],
    run: LinkRun,
) -> DemandState | None:
    """An answer's campaign has no demand post, but one of its actions asks for something
    before the answer (news of a letter "asking the company to end the contract"): that
    action states the campaign's demand. The one whose words match the answer best is taken."""
    campaign = index.by_key.get(answer.campaign_key or "")
    if campaign is None or campaign.demands:
        return None
    at = answer.post.posted_at
    asking = [
        (action, phrases)
        for action in actions.get(campaign.key, [])
        if at is None or action.post.posted_at is None or action.post.posted_at <= at
        if (phrases := demand_phrases(clean_text(action.post.text).lower()))
    ]
    if not asking:
        return None
    vector = vectors[answer.post.key]
    action, phrases = max(asking, key=lambda found: cosine(vector, vectors[found[0].post.key]))
    if items := run.parts.get(action.post.key):  # "we walk out. our demands: A, B, and C"
        state_items(campaign, action, items, run)
        return run.demands[action.demand_key or ""]
    key = demand_key_for(campaign.key, action.post.key)
    demand = new_demand(campaign, action, key)
    demand.add_post(action.post.key, vectors[action.post.key])
    action.demand_key, action.new_demand = key, True
    shown = ", ".join(f"'{p}'" for p in phrases[:3])
    action.reasons.append(f"states the campaign's demand: {shown}")
    return demand


def demand_misread(
    answer: PostLink,
    vectors: dict[str, SparseVector],
    index: CampaignIndex,
    asking: dict[str, list[PostLink]],
) -> DemandState | None:
    """An answer's campaign has no demand, and an earlier post of it (read in this run) was
    read as an answer too, with asking as its next likeliest reading or asking in so many
    words (``answer_asking``): that post is taken to state the campaign's demand ("two asks:
    see the whole tip, and $4.50 base" read as an outcome). An answer before anything was
    asked is more likely the demand misread."""
    campaign = index.by_key.get(answer.campaign_key or "")
    if campaign is None or campaign.demands:
        return None
    at = answer.post.posted_at
    misread = [
        link
        for link in asking.get(campaign.key, [])
        # still in the campaign, and not read as its demand already (which sets demand_key)
        if link is not answer and link.campaign_key == campaign.key and not link.demand_key
        if at is None or link.post.posted_at is None or link.post.posted_at <= at
    ]
    if not misread:
        return None
    link = min(misread, key=link_sort_key)
    p = link.role_scores.get("demand", 0.0) / 5.0
    why = f"model p={p:.2f}, its second reading"
    if not asking_is_next(link.role_scores):
        why = f"it asks: {', '.join(repr(x) for x in _asks_aloud(link)[:3])}"
    link.role, link.response_type, link.outcome = "demand", None, None
    link.role_score = link.role_scores.get("demand", 0.0)
    link.score = suggestion_score(link)  # scored as an answer that found no demand before
    link.linked_post_key, link.alternatives = None, []
    link.demand_type = link.demand_type or "policy_change"
    link.reasons = [
        f"demand ({why}): the first answer of a campaign in which nothing was asked yet is "
        "more likely the demand",
        *(r for r in link.reasons[1:] if not r.startswith(_ANSWER_REASONS)),
    ]
    key = demand_key_for(campaign.key, link.post.key)
    demand = new_demand(campaign, link, key)
    demand.add_post(link.post.key, vectors[link.post.key])
    link.demand_key, link.new_demand = key, True
    return demand


# reasons given to a post linked as an answer, dropped when it is read as a demand instead
_ANSWER_REASONS = ("response ", "outcome ", "no demand", "may answer instead")


def restated(
    campaign: CampaignState,
    vector: SparseVector,
    demand_type: str | None,
    skip: set[str] | frozenset[str] = frozenset(),
) -> DemandState | None:
    """The demand of the campaign a post (or an item of its list) restates: the most similar,
    a little more so of the same type, if similar enough; ``skip`` holds demands left out."""
    best: tuple[float, DemandState] | None = None
    for demand in campaign.demands:
        if demand.key in skip:
            continue
        similarity = demand.centroid.similarity(vector)
        if demand.demand_type == demand_type:
            similarity += 0.1
        if best is None or similarity > best[0]:
            best = (similarity, demand)
    return best[1] if best is not None and best[0] >= RESTATE_THRESHOLD else None


def state_items(
    campaign: CampaignState,
    link: PostLink,
    items: Sequence[tuple[str, SparseVector]],
    run: LinkRun,
    *,
    first_key: str | None = None,
) -> None:
    """A post that lists several demands states each: an item the campaign has stated before
    is restated, the others are new demands of their own (keyed by the post and the item's
    place, the first by the post alone, or ``first_key`` when read again in a later run)."""
    keys: list[str] = []
    own: set[str] = set()
    for n, (item, vector) in enumerate(items):
        if first_key is not None and n == 0:
            key = first_key
        elif said := restated(campaign, vector, type_demand(item).value, {*own, first_key or ""}):
            key = said.key
        else:
            key = demand_key_for(campaign.key, link.post.key + (f"#{n + 1}" if n else ""))
        found = run.demands.get(key)  # every demand a run knows is in run.demands
        if found is None:
            found = run.demands[key] = new_demand(campaign, link, key, item)
            own.add(key)
        found.add_post(link.post.key, vector)
        if key not in keys:
            keys.append(key)
    link.demand_key, link.more_demands = keys[0], keys[1:]
    link.new_demand = keys[0] in own
    shown = "; ".join(f"'{item[:50]}'" for item, _ in items)
    link.reasons.append(f"lists {len(items)} demands, each a demand of its own: {shown}")
