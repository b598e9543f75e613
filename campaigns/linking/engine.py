"""The linking engine: posts in, roles, companies, campaigns and demand links out.

Offline and deterministic: the same posts (and context) always give the same suggestions. A run
takes new posts plus, optionally, the already linked posts around them as context, so
``campaigns link`` can be incremental and the evaluation can run the same code on a file.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cached_property

from campaigns.linking.companies import CompanyMatch, CompanyResolver, site_codes, unit_from_work
from campaigns.linking.context import echoes
from campaigns.linking.customers import named_customers
from campaigns.linking.decide import (
    ANSWERS,
    asks_nothing,
    claimed_win_decision,
    learned_decision,
)
from campaigns.linking.detect import (
    Detection,
    detect_demand_type,
    detect_outcome,
    detect_response_type,
    detect_tactic,
    type_demand,
)
from campaigns.linking.grouping import (
    ANSWER_WINDOW,
    REFERENCE_BONUS,
    CampaignIndex,
    CampaignState,
    DemandState,
    GroupChoice,
    campaign_key_for,
    choose_campaign,
    demand_key_for,
    post_language,
)
from campaigns.linking.learned import (
    CODES,
    CodeModels,
    RoleExample,
    RoleModel,
    code_models,
    role_model,
)
from campaigns.linking.linker import DemandChoice, choose_demand
from campaigns.linking.lists import demand_items, taken_up
from campaigns.linking.model import (
    LinkRun,
    PostInput,
    PostLink,
    clean_text,
    link_sort_key,
    post_sort_key,
    speaker_kind,
    suggestion_score,
)
from campaigns.linking.places import place_countries
from campaigns.linking.references import References
from campaigns.linking.roles import (
    LOOKING_BACK,
    SUBORDINATE_TACTIC,
    RoleDecision,
    classify_role,
    demand_phrases,
)
from campaigns.linking.stating import (
    answer_asking,
    by_campaign,
    campaign_title,
    demand_from_action,
    demand_misread,
    new_demand,
    open_action,
    restated,
    state_items,
)
from campaigns.linking.vectors import (
    SparseVector,
    concept_terms,
    cosine,
    echo_matrix,
    part_vector,
    shared_concepts,
    vectorize,
)
from campaigns.registry import Registry, load_registry
from campaigns.text import count_days

ENGINE_VERSION = "0.25.0"
PERSONAL_PLATFORMS = frozenset({"x", "bluesky", "mastodon"})
UNNAMED_JOIN_THRESHOLD = 0.3  # a post naming no company joins a campaign only on a clear match
# a post naming no company may join a campaign that formed up to ADOPT_BEFORE_DAYS after it or
# up to ADOPT_AFTER_DAYS before it, on a clear match (train CV: link 0.454 -> 0.459, company
# 0.892 -> 0.896, grouping 0.792 -> 0.797; dev unchanged)
ADOPT_BEFORE_DAYS = 30
ADOPT_AFTER_DAYS = 30
ADOPTION_REACH = timedelta(days=ADOPT_BEFORE_DAYS + ADOPT_AFTER_DAYS)
# 0.3 before 0.17.0; at 0.15 a worker's demand that shares a few words with the campaign formed
# days later joins it (N26's works council, 0.26): train CV link 0.502 -> 0.506, company 0.907
# -> 0.911, grouping 0.824 -> 0.828; dev and the unseen sets unchanged; 0.1 the same as 0.15
ADOPT_THRESHOLD = 0.15
ADOPT_CANDIDATES = 25  # campaigns compared per unplaced post, nearest in time first
ADOPT_AUTHOR_BONUS = 0.15  # its author posts in the campaign (0: no gain at all)
DECISIVE = frozenset({"full_concession", "partial_concession", "reject", "reversal"})
STRUGGLE_POSTS = 8  # a campaign's struggle is read from its first posts
# proposed only this sure: on the train CV (campaigns as labelled) a third of the campaigns
# reach it, 69% of them read right; below it the reviewer codes it (the likeliest is said)
STRUGGLE_FLOOR = 0.4
# the response types whose phrase in a response post settles its outcome (a partial
# concession is often reported beside what was lost, so its outcome is read)
SETTLING = frozenset({"full_concession", "reject"})
DECISIVE_OUTCOMES = frozenset({"met", "partially_met", "not_met"})
SETTLED_AFTER = 3 * 86400  # seconds after a first response from which news reports outcomes
NO_RESPONSE = re.compile(
    r"\b(so far:? nothing|no (?:reply|response|answer)|hasn't (?:responded|replied|answered)|"
    r"has not (?:responded|replied|answered)|silence|ignored)\b",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")  # a letter of any script: a post without one says nothing to read
OUTCOME_FROM_RESPONSE = {
    "full_concession": "met",
    "partial_concession": "partially_met",
    "reject": "not_met",
    "reversal": "not_met",
    "procedural_resistance": "pending",
}


@dataclass(frozen=True)
class _Reading:
    """The rules' reading of one post, before the learned model has its say."""

    match: CompanyMatch
    tactic: Detection
    response: Detection
    outcome: Detection
    demand_type: Detection  # the demand-type phrases that count as role cues
    decision: RoleDecision
    example: RoleExample

    @cached_property
    def typed(self) -> Detection:
        """The demand type of the post once its role is known, with the phrases that only
        type (``detect.type_demand``): read at most once, and only for posts that need it."""
        return type_demand(self.example.text)


def _company_cues(match: CompanyMatch) -> tuple[str, ...]:
    """How the resolved company is named: it acts, its workers speak, a demand is addressed
    to it, or it is named as someone's customer (the resolver's reasons say which)."""
    found = []
    for reason in match.reasons:
        if reason.endswith((" acts", " buys")):
            found.append("acts")
        elif reason.startswith("workers of "):
            found.append("workers")
        elif reason.startswith("demand addressed to "):
            found.append("addressed")
        elif reason.endswith(" named as a customer"):
            found.append("customer")
    return tuple(dict.fromkeys(found))


class LinkingEngine:
    """Classifies, resolves, groups and links posts against one company registry."""

    def __init__(self, registry: Registry | None = None, *, use_model: bool = True) -> None:
        self.resolver = CompanyResolver(registry or load_registry())
        self.use_model = use_model

    @property
    def model(self) -> RoleModel | None:
        """The learned role model (fitted on the train split at first use), if any."""
        return role_model() if self.use_model else None

    @property
    def codes(self) -> CodeModels:
        """The learned outcome, response type, tactic and demand type models (fitted with the
        role model)."""
        return code_models() if self.use_model else CodeModels()

    def analyse(self, post: PostInput) -> PostLink:
        """Role, company and codes of one post, without looking at any other post."""
        return self.analyse_many([post])[0]

    def role_example(self, text: str, handle: str | None, source_kind: str | None) -> RoleExample:
        """What the learned role model sees of a cleaned, non-empty post text on its own."""
        return self._read(text, handle, source_kind).example

    def role_examples(self, posts: Sequence[PostInput]) -> list[RoleExample | None]:
        """What the learned role model sees of each post read in one run (None: empty post)."""
        ordered = sorted(range(len(posts)), key=lambda i: post_sort_key(posts[i]))
        readings = self._readings([posts[i] for i in ordered])
        examples = self._with_echoes([], [posts[i] for i in ordered], readings)
        found: list[RoleExample | None] = [None] * len(posts)
        for i, example in zip(ordered, examples, strict=True):
            found[i] = example
        return found

    def _read(self, text: str, handle: str | None, source_kind: str | None) -> _Reading:
        match = self.resolver.resolve(text, handle=handle, source_kind=source_kind)
        lowered = text.lower()
        tactic = detect_tactic(lowered)
        response = detect_response_type(lowered)
        outcome = detect_outcome(lowered)
        demand_type = detect_demand_type(lowered)
        decision = classify_role(
            lowered,
            source_kind=source_kind,
            has_company=match.slug is not None,
            tactic=tactic,
            response=response,
            outcome=outcome,
            demand_type=demand_type,
        )
        codes = tuple(
            f"{kind}:{found.value}"
            for kind, found in (
                ("outcome", outcome),
                ("response", response),
                ("tactic", tactic),
                ("demand", demand_type),
            )
            if found.value
        )
        example = RoleExample(
            lowered,
            source_kind,
            match.slug is not None,
            decision.scores,
            _company_cues(match),
            codes=codes,
        )
        return _Reading(match, tactic, response, outcome, demand_type, decision, example)

    def _readings(self, posts: Sequence[PostInput]) -> list[_Reading | None]:
        readings: list[_Reading | None] = []
        for post in posts:
            text = clean_text(post.text)
            readings.append(
                self._read(text, post.author_handle, speaker_kind(post))
                if _LETTER.search(text)
                else None
            )
        return readings

    def _with_echoes(
        self,
        context: Sequence[PostLink],
        posts: Sequence[PostInput],
        readings: Sequence[_Reading | None],
    ) -> list[RoleExample | None]:
        """Each reading's example with its echoes of the earlier posts (context.py)."""
        texts = [clean_text(link.post.text) for link in context]
        texts += [r.example.text if r is not None else "" for r in readings]  # cleaned, lowered
        matrix = echo_matrix(texts, self.resolver.name_words)
        offset = len(context)
        companies = [link.named_company for link in context]
        companies += [r.match.slug if r is not None else None for r in readings]
        times = [link.post.posted_at for link in context] + [post.posted_at for post in posts]
        wanted = [offset + i for i, r in enumerate(readings) if r is not None]
        found = echoes(matrix, companies, times, wanted)
        return [
            replace(r.example, echo=found[offset + i]) if r is not None else None
            for i, r in enumerate(readings)
        ]

    def analyse_many(
        self, posts: Sequence[PostInput], context: Sequence[PostLink] = ()
    ) -> list[PostLink]:
        """``analyse`` for many posts, with the learned role model run once over all of them.

        A post's reading depends on the post and on the posts before it (among ``posts`` and
        the already linked ``context``), never on later ones.
        """
        links = [PostLink(post=post) for post in posts]
        readings = self._readings(posts)
        for link, reading in zip(links, readings, strict=True):
            if reading is None:
                said = clean_text(link.post.text)
                link.reasons = [
                    "no words to read: " + ("emoji or symbols only" if said else "empty post")
                ]
        model, codes = self.model, self.codes
        decisions = [r.decision if r is not None else None for r in readings]
        coded: list[dict[str, tuple[str, float]]] = [{} for _ in posts]
        if model is not None or codes.fitted:
            examples = self._with_echoes(context, posts, readings)
            if model is not None:
                present = [i for i, e in enumerate(examples) if e is not None]
                found = [e for e in examples if e is not None]
                rows = model.probabilities(found)
                for i, example, row in zip(present, found, rows, strict=True):
                    rules = decisions[i]
                    if rules is not None:
                        kind = example.source_kind  # speaker_kind, as the rules read it
                        learned = learned_decision(rules, row, kind)
                        learned = asks_nothing(learned, rules, row, example.text)
                        decisions[i] = claimed_win_decision(learned, example.text, kind)
            self._code(codes, examples, readings, decisions, coded)
        for link, reading, decision, codes_read in zip(
            links, readings, decisions, coded, strict=True
        ):
            if reading is not None and decision is not None:
                self._finish(link, reading, decision, codes_read)
        return links

    @staticmethod
    def _code(
        codes: CodeModels,
        examples: Sequence[RoleExample | None],
        readings: Sequence[_Reading | None],
        decisions: Sequence[RoleDecision | None],
        coded: list[dict[str, tuple[str, float]]],
    ) -> None:
        """Run each code model once over the posts that need it: every outcome report for its
        outcome; a response, an action or a demand whose text has no rule phrase for its code."""
        wanted: dict[str, list[int]] = {code: [] for code in CODES}
        for i, (example, reading, decision) in enumerate(
            zip(examples, readings, decisions, strict=True)
        ):
            if example is None or reading is None or decision is None:
                continue
            if decision.role == "outcome":
                wanted["outcome"].append(i)
            elif decision.role == "response" and not reading.response.value:
                wanted["response_type"].append(i)
            elif decision.role == "action" and not reading.tactic.value:
                wanted["tactic"].append(i)
            elif decision.role == "demand" and not reading.typed.value:
                wanted["demand_type"].append(i)
        for code, rows in wanted.items():
            code_model = getattr(codes, code)
            if code_model is None or not rows:
                continue
            found = [e for e in (examples[i] for i in rows) if e is not None]
            for i, value in zip(rows, code_model.predict(found), strict=True):
                coded[i][code] = value

    def _finish(
        self,
        link: PostLink,
        reading: _Reading,
        decision: RoleDecision,
        coded: dict[str, tuple[str, float]],
    ) -> None:
        """Fill ``link`` from its reading and its role ``decision`` (the rules', or the learned
        model's where there is one) and the codes the code models read (``coded``)."""
        post = link.post
        match, tactic, response, outcome, demand_type = (
            reading.match,
            reading.tactic,
            reading.response,
            reading.outcome,
            reading.demand_type,
        )
        link.company, link.business_unit = match.slug, match.unit
        link.named_company = match.slug
        link.role, link.role_score = decision.role, decision.score
        link.role_scores = decision.scores
        link.reasons = [*decision.reasons, *match.reasons]
        if post.source_kind is None and (kind := reading.example.source_kind):
            link.reasons.append(f"read as {kind}: a feed entry of {post.author_handle}")
        if decision.role == "other":
            if match.from_handle_only and post.source_kind != "company":
                # a worker group's own news is not about its employer
                link.company, link.business_unit = None, None
            return
        if link.business_unit is None and (
            work := unit_from_work(link.company, reading.example.text)
        ):
            link.business_unit = work[0]
            link.reasons.append(f"business unit {work[0]}: '{work[1]}' is its work")
        demand_type = reading.typed
        link.demand_type = demand_type.value
        if decision.role == "action":
            link.tactic = tactic.value or "other"
            if tactic.phrases:
                link.reasons.append("tactic " + link.tactic + ": " + ", ".join(tactic.phrases))
            elif "tactic" in coded:
                link.tactic, p = coded["tactic"]
                link.reasons.append(f"tactic {link.tactic} (model p={p:.2f})")
        elif decision.role == "demand":
            # the broadest type when no phrase says more (a reviewer can correct it)
            link.demand_type = demand_type.value or "policy_change"
            if not demand_type.value and "demand_type" in coded:
                link.demand_type, p = coded["demand_type"]
                link.reasons.append(f"demand type {link.demand_type} (model p={p:.2f})")
            if demand_type.phrases:
                link.reasons.append(
                    f"demand type {link.demand_type}: " + ", ".join(demand_type.phrases)
                )
            if _reports_action(reading, decision):
                # "today 150 of us walked off the job: $5 more an hour" states a demand and
                # reports a walkout; the campaign's tactics should not lose the walkout
                _also_reports(link, tactic)
        elif decision.role in ("response", "outcome"):
            if (
                post.source_kind != "company"
                and _reports_action(reading, decision)
                and not LOOKING_BACK.search(reading.example.text)  # "4 years ago today, ..."
            ):
                # "Hundreds walked out on Tuesday; the company said it would review the policy":
                # the campaign's tactics should not lose the walkout either
                _also_reports(link, tactic)
            link.response_type = response.value or "statement"
            if not response.value and "response_type" in coded:
                link.response_type, p = coded["response_type"]
                link.reasons.append(f"response {link.response_type} (model p={p:.2f})")
            link.outcome = (
                outcome.value if outcome.value else OUTCOME_FROM_RESPONSE.get(link.response_type)
            )
            if (
                decision.role == "response"
                and response.value in SETTLING
                and link.outcome != OUTCOME_FROM_RESPONSE[response.value]
            ):
                # the company's own concession or refusal settles the demand; a word like
                # "failed" in the same news is about someone else ("AWS will suspend Parler
                # after the site failed to remove violent posts")
                link.outcome = OUTCOME_FROM_RESPONSE[response.value]
            if response.phrases:
                link.reasons.append(
                    f"response {link.response_type}: " + ", ".join(response.phrases)
                )
            if outcome.phrases and link.outcome:
                link.reasons.append(f"outcome {link.outcome}: " + ", ".join(outcome.phrases))
            if decision.role == "outcome":
                link.response_type = response.value  # the response whose result is reported
                link.demand_type = demand_type.value
                if "outcome" in coded and not outcome.value:
                    link.outcome, p = coded["outcome"]
                    link.reasons.append(f"outcome {link.outcome} (model p={p:.2f})")

    def run(
        self,
        posts: Sequence[PostInput],
        context: Iterable[PostLink] = (),
        earlier: Iterable[PostLink] | None = None,
    ) -> LinkRun:
        """Link ``posts``; ``context`` holds earlier links (with campaign and demand keys).

        ``earlier`` holds the posts before these that echoes compare with (every role, with
        ``named_company``); by default the context.
        """
        known = sorted(context, key=link_sort_key)
        before = known if earlier is None else sorted(earlier, key=link_sort_key)
        fresh = self.analyse_many(sorted(posts, key=post_sort_key), before)
        everything = [*known, *fresh]
        vocabulary: dict[str, int] = {}
        vectors = dict(
            zip(
                (link.post.key for link in everything),
                vectorize(
                    [clean_text(link.post.text) for link in everything],
                    self.resolver.name_words,
                    vocabulary,
                ),
                strict=True,
            )
        )
        references = References(everything)
        index = CampaignIndex()
        authors: dict[str, tuple[str, str | None]] = {}
        run = LinkRun(links=fresh)
        run.parts = self._listed_demands(everything, vectors, vocabulary)
        run.concepts = concept_terms(vocabulary)
        for link in known:
            self._restore(link, vectors[link.post.key], index, run)
            _remember_author(authors, link)
            references.seen(link)
        for link in fresh:
            self._place(link, vectors[link.post.key], index, run, references, authors)
            _remember_author(authors, link)
            references.seen(link)
        adopted = self._adopt(everything, vectors, index, run)
        run.adopted = [link for link in known if id(link) in adopted]
        if self.model is None:
            # the rules' guess between response and outcome, settled by who speaks and when
            # (the learned model sees the source kind itself, and does better without this)
            settle_answers(known, fresh)
        for link in [*fresh, *run.adopted]:  # an answer links by what it takes up
            if link.role in ANSWERS and (part := taken_up(clean_text(link.post.text))):
                whole = vectors[link.post.key]
                vectors[link.post.key] = (
                    part_vector(whole, part, vocabulary, self.resolver.name_words) or whole
                )
        actions = by_campaign(everything, open_action)
        unstated = [link for link in known if link.role == "action" and not link.demand_key]
        asking = by_campaign(fresh, answer_asking)  # fresh is in time order
        for link in [*fresh, *run.adopted]:
            self._link_answer(link, vectors, index, run, actions, asking)
        run.stating = [link for link in unstated if link.demand_key]
        for link in [*fresh, *run.adopted]:
            _campaign_unit(link, index)
        run.campaigns = index.by_key
        self._struggles(everything, [*fresh, *run.adopted], index)
        return run

    def _unknown_employer(self, link: PostLink) -> str:
        """The employer a campaign post names that the registry does not know ("" if none),
        read once per post and kept on its link (``_place`` and ``_adopt`` both ask)."""
        if link.role == "other":
            return ""
        if link.unknown_employer is None:
            named = self.resolver.unknown_employer(clean_text(link.post.text))
            link.unknown_employer = named or ""
        return link.unknown_employer

    def _listed_demands(
        self,
        links: Sequence[PostLink],
        vectors: dict[str, SparseVector],
        vocabulary: dict[str, int],
    ) -> dict[str, list[tuple[str, SparseVector]]]:
        """Each demand or action post that lists several demands: the items, with vectors."""
        found = {}
        for link in links:
            if link.role not in ("demand", "action") or link.recorded:
                continue  # a recorded demand is one demand, however it is worded
            items = demand_items(clean_text(link.post.text))
            if items:
                whole = vectors[link.post.key]
                words = self.resolver.name_words
                found[link.post.key] = [
                    (item, part_vector(whole, item, vocabulary, words)) for item in items
                ]
        return found

    def _struggles(
        self, everything: Sequence[PostLink], fresh: Sequence[PostLink], index: CampaignIndex
    ) -> None:
        """Read the struggle of each campaign the fresh posts joined from its posts' words
        (demands, actions and answers; at most ``STRUGGLE_POSTS``, the earliest first)."""
        model = self.codes.struggle
        touched = {link.campaign_key for link in fresh if link.campaign_key}
        if model is None or not touched:
            return
        texts: dict[str, list[str]] = {}
        for link in sorted(everything, key=link_sort_key):
            key = link.campaign_key
            if key in touched and link.role != "other" and not link.rejected:
                said = texts.setdefault(key, [])
                if len(said) < STRUGGLE_POSTS:
                    said.append(clean_text(link.post.text))
        keys = list(texts)
        for key, found in zip(keys, model.campaigns([texts[k] for k in keys]), strict=True):
            campaign = index.by_key.get(key)
            if campaign is not None and found is not None:
                likeliest, p = found
                campaign.struggle = likeliest if p >= STRUGGLE_FLOOR else None
                campaign.struggle_reason = (
                    f"campaign about {likeliest}: read from the words of {len(texts[key])} of "
                    f"its posts (model p={p:.2f})"
                    if campaign.struggle
                    else f"what the campaign is about is left to the reviewer: the likeliest, "
                    f"{likeliest}, has p={p:.2f} (proposed from {STRUGGLE_FLOOR})"
                )
        for link in fresh:
            campaign = index.by_key.get(link.campaign_key or "")
            if campaign is not None and campaign.struggle_reason:
                link.reasons.append(campaign.struggle_reason)

    def _restore(
        self, link: PostLink, vector: SparseVector, index: CampaignIndex, run: LinkRun
    ) -> None:
        if not link.campaign_key:
            return
        campaign = index.by_key.get(link.campaign_key)
        if campaign is None:
            campaign = CampaignState(
                key=link.campaign_key,
                company=link.company,
                unit=link.business_unit,
                first_at=link.post.posted_at,
                last_at=link.post.posted_at,
                title=campaign_title(link),
            )
            index.add(campaign)
        self._join(campaign, link, vector, index)
        if link.role == "demand" and link.demand_key and not link.rejected:
            items = run.parts.get(link.post.key)
            if items:  # a list of demands, read as it was when the post was first read
                state_items(campaign, link, items, run, first_key=link.demand_key)
                return
            demand = run.demands.get(link.demand_key)
            if demand is None:
                demand = new_demand(campaign, link, link.demand_key)
                run.demands[demand.key] = demand
            demand.add_post(link.post.key, vector)

    def _place(
        self,
        link: PostLink,
        vector: SparseVector,
        index: CampaignIndex,
        run: LinkRun,
        references: References,
        authors: dict[str, tuple[str, str | None]],
    ) -> None:
        referenced, shared = references.of(link)
        if shared:
            link.reasons.append("shares the link " + ", ".join(shared[:2]) + " with earlier posts")
        referenced_keys = {r.post.key for r in referenced}
        referenced_campaign = next(
            (index.by_key[r.campaign_key] for r in referenced if r.campaign_key in index.by_key),
            None,
        )
        unknown = self._unknown_employer(link) if link.company is None else None
        if unknown:  # its employer is named, only not known: no company, no guess
            link.reasons.append(
                f"names '{unknown}' as the employer, a company the registry does not know: add "
                "it with `campaigns companies add` and run `campaigns link --again`"
            )
            link.score = 0.0
            return
        if link.company is None and referenced_campaign is not None and link.role != "other":
            link.company = referenced_campaign.company
            link.business_unit = referenced_campaign.unit
            link.reasons.append(
                "company taken from a post it refers to (quote, reply or shared link)"
            )
        if link.company is None and link.role != "other" and link.post.source_company:
            self._company_of_source(link)
        handle = link.post.author_handle or ""
        if link.company is None and link.role != "other" and handle in authors:
            link.company, link.business_unit = authors[handle]
            link.reasons.append(f"company of {handle}'s earlier campaign posts")
        if link.company is None and link.role != "other":
            self._company_from_campaigns(link, vector, index)
        if link.role == "other" or link.company is None:
            link.score = 0.0
            return
        choice = _choose_campaign(link, vector, index, referenced_campaign)
        campaign = choice.campaign
        if campaign is None:
            campaign = CampaignState(
                key=campaign_key_for(link.company, link.post.key),
                company=link.company,
                unit=link.business_unit,
                first_at=link.post.posted_at,
                last_at=link.post.posted_at,
                title=campaign_title(link),
            )
            index.add(campaign)
            link.new_campaign = True
            link.reasons.append("starts a new campaign: no open campaign at this company fits")
        else:
            link.reasons.extend(choice.reasons[:3])
        link.campaign_key = campaign.key
        if campaign.unit and not link.business_unit:
            link.business_unit = campaign.unit
        link.group_score = 1.0 if link.new_campaign else min(choice.score + 0.5, 1.0)
        link.referenced_keys = referenced_keys
        if link.role == "demand":
            self._state_demand(campaign, link, vector, run)
        self._join(campaign, link, vector, index)

    def _adopt(
        self,
        links: Sequence[PostLink],
        vectors: dict[str, SparseVector],
        index: CampaignIndex,
        run: LinkRun,
    ) -> set[int]:
        """A campaign post that names no company and came before its campaign formed ("today
        he's gone. leadership owes us an explanation"): it joins the campaign that formed soon
        after it (or shortly before) when a post of that campaign refers to it, or its author
        posts in it, or its words clearly match. Returns the ids of the links it placed.
        """
        adopted: set[int] = set()
        referrers: dict[str, CampaignState] = {}
        for link in links:
            owner = index.by_key.get(link.campaign_key or "")
            if owner is not None:
                for key in link.referenced_keys:
                    referrers.setdefault(key, owner)
        formed = sorted(
            (c for c in index.by_key.values() if c.company is not None and c.first_at is not None),
            key=lambda c: (c.first_at.timestamp() if c.first_at else 0.0, c.key),
        )
        starts = [c.first_at.timestamp() if c.first_at else 0.0 for c in formed]
        for link in links:
            at = link.post.posted_at
            if link.role == "other" or link.company or link.campaign_key or at is None:
                continue
            if self._unknown_employer(link):
                continue  # it names its employer, one the registry does not know
            vector = vectors[link.post.key]
            best: tuple[float, CampaignState, str] | None = None
            moment = at.timestamp()
            low = bisect_left(starts, moment - ADOPT_AFTER_DAYS * 86400)
            high = bisect_right(starts, moment + ADOPT_BEFORE_DAYS * 86400)
            for campaign in _nearest(formed[low:high], starts[low:high], moment, link, referrers):
                similarity = max(
                    (cosine(vector, other) for other in campaign.recent_vectors), default=0.0
                )
                score, why = similarity, f"its words match ({similarity:.2f})"
                if link.post.author_handle and link.post.author_handle in campaign.authors:
                    score += ADOPT_AUTHOR_BONUS
                    why = f"{link.post.author_handle} posts in it; " + why
                if referrers.get(link.post.key) is campaign:
                    score += REFERENCE_BONUS
                    why = "a post of it refers to this one"
                if best is None or score > best[0]:
                    best = (score, campaign, why)
            if best is None or best[0] < ADOPT_THRESHOLD:
                continue
            _, campaign, why = best
            if not link.reasons:  # a post of an earlier run: its reading was not kept
                link.reasons.append(f"read as {link.role} when it was first linked")
            link.company, link.business_unit = campaign.company, campaign.unit
            link.campaign_key = campaign.key
            link.group_score = min(best[0] + 0.5, 1.0)
            link.reasons.append(
                f"company {campaign.company}: no company named; joins the campaign "
                f"'{campaign.title[:50]}' that formed {_gap(campaign.first_at, at)} ({why})"
            )
            if campaign.first_at is None or at < campaign.first_at:
                campaign.first_at = at
            if link.role == "demand":
                self._state_demand(campaign, link, vector, run)
            self._join(campaign, link, vector, index)
            adopted.add(id(link))
        return adopted

    def _company_of_source(self, link: PostLink) -> None:
        """A post naming no company, from a source that speaks for one or whose workers post it
        ("Walking out at noon tomorrow. Join us.")."""
        slug = link.post.source_company
        if slug is None or slug not in self.resolver.registry.entries:
            return
        link.company, link.business_unit = self.resolver.campaign_company(slug)
        link.reasons.append(f"company {link.company}: the source that posted it speaks for it")

    @staticmethod
    def _company_from_campaigns(link: PostLink, vector: SparseVector, index: CampaignIndex) -> None:
        """A campaign post naming no company ("Polls are open at RDU1"): the company of the
        open campaign its words match clearly, at any company, if there is one."""
        choice = _choose_campaign(link, vector, index, None, any_company=True)
        if choice.campaign is not None and choice.score >= UNNAMED_JOIN_THRESHOLD:
            campaign = choice.campaign
            link.company, link.business_unit = campaign.company, campaign.unit
            link.reasons.append(
                f"company {campaign.company}: no company named; its words match the campaign "
                f"'{campaign.title[:50]}' ({choice.score:.2f})"
            )

    def _link_answer(
        self,
        link: PostLink,
        vectors: dict[str, SparseVector],
        index: CampaignIndex,
        run: LinkRun,
        actions: dict[str, list[PostLink]],
        asking: dict[str, list[PostLink]],
    ) -> None:
        """Second pass: a response or outcome picks among all its campaign's demands (when
        its campaign has none, an action post that asks for something states one, or else an
        earlier answer that may rather be asking, see ``demand_misread``)."""
        link_score = 1.0
        vector = vectors[link.post.key]
        if link.role in ("response", "outcome") and link.campaign_key:
            others = [
                campaign
                for company in self.resolver.family(link.company)
                for campaign in index.candidates(company, link.post.posted_at, ANSWER_WINDOW)
            ]
            # an action of its own campaign that asks for something states the demand it
            # answers before another campaign's demand is weighed
            stated = demand_from_action(link, vectors, index, actions, run)
            if stated is None:
                stated = demand_misread(link, vectors, index, asking)
            if stated is not None:
                run.demands[stated.key] = stated
            picked = self._pick_demand(link, vector, index, others)
            link.reasons.extend(picked.reasons)
            if picked.demand is not None and (
                shared := shared_concepts(vector, picked.demand.centroid.total, run.concepts)
            ):
                link.reasons.append(f"both speak of {' and '.join(shared)}")
            link.alternatives = [(d.key, round(score, 3)) for score, d in picked.alternatives]
            for score, demand in picked.alternatives:
                link.reasons.append(
                    f"may answer instead the demand '{demand.text[:60]}' ({score:.2f})"
                )
            if picked.demand is not None:
                link.demand_key = picked.demand.key
                link.linked_post_key = picked.demand.post_key
                link_score = picked.score
                if picked.demand.campaign_key != link.campaign_key:
                    # the answer belongs with the demand it answers
                    _move(link, index, picked.demand.campaign_key)
            else:
                link_score = 0.3
        if link.campaign_key is None:
            return
        link.score = suggestion_score(link, link_score)

    @staticmethod
    def _pick_demand(
        link: PostLink, vector: SparseVector, index: CampaignIndex, others: list[CampaignState]
    ) -> DemandChoice:
        return choose_demand(
            index.by_key.get(link.campaign_key or ""),
            at=link.post.posted_at,
            vector=vector,
            demand_type=link.demand_type,
            referenced_posts=link.referenced_keys,
            others=others,
            company=link.company,
        )

    def _state_demand(
        self, campaign: CampaignState, link: PostLink, vector: SparseVector, run: LinkRun
    ) -> None:
        if items := run.parts.get(link.post.key):
            state_items(campaign, link, items, run)
            return
        demand = restated(campaign, vector, link.demand_type)
        if demand is not None:
            link.reasons.append(f"restates the demand first stated on {_day(demand)}")
        else:
            demand = new_demand(campaign, link, demand_key_for(campaign.key, link.post.key))
            run.demands[demand.key] = demand
            link.new_demand = True
        demand.add_post(link.post.key, vector)
        link.demand_key = demand.key

    @staticmethod
    def _join(
        campaign: CampaignState, link: PostLink, vector: SparseVector, index: CampaignIndex
    ) -> None:
        campaign.centroid.add(vector)
        campaign.remember(vector)
        campaign.post_keys.add(link.post.key)
        if link.post.author_handle:
            campaign.authors.add(link.post.author_handle)
        if language := post_language(link.post.lang):
            campaign.languages.add(language)
        campaign.sites |= site_codes(link.post.text)
        campaign.countries |= place_countries(link.post.text)
        campaign.customers |= named_customers(link.post.text)
        if link.role == "action" and not (campaign.asks or link.rejected):
            campaign.asks = bool(demand_phrases(clean_text(link.post.text).lower()))
        if campaign.unit is None and link.business_unit and link.company == campaign.company:
            campaign.unit = link.business_unit  # the first unit its posts name
        index.touch(campaign, link.post.posted_at)


def _choose_campaign(
    link: PostLink,
    vector: SparseVector,
    index: CampaignIndex,
    referenced: CampaignState | None,
    *,
    any_company: bool = False,
) -> GroupChoice:
    """The open campaign ``link``'s post fits (of its company, or of any with ``any_company``)."""
    return choose_campaign(
        index,
        company=None if any_company else link.company,
        at=link.post.posted_at,
        vector=vector,
        role=link.role,
        demand_type=link.demand_type,
        referenced=referenced,
        author=link.post.author_handle,
        any_company=any_company,
        language=post_language(link.post.lang),
        sites=site_codes(link.post.text),
        countries=place_countries(link.post.text),
        customers=named_customers(link.post.text),
    )


def _move(link: PostLink, index: CampaignIndex, campaign_key: str) -> None:
    """Move a post from the campaign it was grouped into to another one."""
    old = index.by_key.get(link.campaign_key or "")
    if old is not None:
        old.post_keys.discard(link.post.key)
        if not old.post_keys:  # the campaign it started holds nothing else
            index.remove(old)
    new = index.by_key[campaign_key]
    new.post_keys.add(link.post.key)
    link.campaign_key = campaign_key
    if link.new_campaign:
        link.reasons = [r for r in link.reasons if not r.startswith("starts a new campaign")]
    link.new_campaign = False
    link.reasons.append(f"joins the campaign '{new.title[:60]}' of the demand it answers")
    if new.unit and not link.business_unit:
        link.business_unit = new.unit


def _campaign_unit(link: PostLink, index: CampaignIndex) -> None:
    """A post of a campaign whose posts name a business unit is coded with it (the Parler
    demand names Amazon; the news of its answer names AWS): the unit is the campaign's."""
    campaign = index.by_key.get(link.campaign_key or "")
    if campaign is None or not campaign.unit or link.business_unit:
        return
    if link.company == campaign.company:
        link.business_unit = campaign.unit
        link.reasons.append(f"business unit {campaign.unit}: named by posts of its campaign")


def _nearest(
    campaigns: Sequence[CampaignState],
    starts: Sequence[float],
    moment: float,
    link: PostLink,
    referrers: dict[str, CampaignState],
) -> list[CampaignState]:
    """The campaigns (formed within the window) an unplaced post is compared with: at most
    ADOPT_CANDIDATES, those that formed nearest in time, plus any that refers to the post or
    that its author posts in (so a busy window costs no more than a quiet one)."""
    if len(campaigns) <= ADOPT_CANDIDATES:
        return list(campaigns)
    order = sorted(range(len(campaigns)), key=lambda i: (abs(starts[i] - moment), i))
    chosen = set(order[:ADOPT_CANDIDATES])
    author = link.post.author_handle
    referrer = referrers.get(link.post.key)
    for i, campaign in enumerate(campaigns):
        if campaign is referrer or (author and author in campaign.authors):
            chosen.add(i)
    return [campaigns[i] for i in sorted(chosen)]


def _gap(formed: datetime | None, at: datetime) -> str:
    """When a campaign formed, said from a post at ``at``: 'the same day', '3 days after it'."""
    if formed is None:
        return "after it"
    days = round((formed - at).total_seconds() / 86400)
    if days == 0:
        return "the same day"
    return f"{count_days(abs(days))} {'after' if days > 0 else 'before'} it"


def _remember_author(authors: dict[str, tuple[str, str | None]], link: PostLink) -> None:
    """A worker group's posts, and a person's on a social platform, are mostly about one
    employer: remember its latest."""
    handle = link.post.author_handle
    speaks = link.post.source_kind == "worker_group" or (
        link.post.source_kind is None and link.post.platform in PERSONAL_PLATFORMS
    )
    if handle and link.company and link.campaign_key and speaks:
        authors[handle] = (link.company, link.business_unit)


def settle_answers(known: Sequence[PostLink], fresh: Sequence[PostLink]) -> None:
    """Tell a campaign's responses from its outcome reports by who speaks and what came before.

    A company speaking is responding; a worker group reporting the company's move is telling
    how the demand ended (unless it reports silence); a news report is the company's response
    when it is the first in the campaign, and an outcome report once an earlier response exists.
    """
    first_response: dict[str, float] = {}
    fresh_ids = {id(link) for link in fresh}
    for link in sorted([*known, *fresh], key=link_sort_key):
        if link.role not in ("response", "outcome") or not link.campaign_key:
            continue
        at = link.post.posted_at.timestamp() if link.post.posted_at else 0.0
        earlier = first_response.get(link.campaign_key)
        if id(link) in fresh_ids:
            kind = link.post.source_kind
            if kind == "company":
                role = "response"
            elif kind == "worker_group":
                role = "response" if NO_RESPONSE.search(link.post.text) else "outcome"
            elif earlier is not None and at - earlier >= SETTLED_AFTER:
                decisive = link.response_type in DECISIVE or link.outcome in DECISIVE_OUTCOMES
                role = "outcome" if decisive else "response"
            else:
                scores = link.role_scores
                clear_outcome = scores.get("outcome", 0) >= scores.get("response", 0) + 1.5
                role = "outcome" if clear_outcome else "response"
            if role != link.role:
                link.reasons.append(
                    "an outcome report: the company answered earlier"
                    if role == "outcome"
                    else "the company's response"
                )
                _recode(link, role)
        if link.role == "response":
            first_response.setdefault(link.campaign_key, at)


def _recode(link: PostLink, role: str) -> None:
    link.role = role
    if role == "outcome":
        link.outcome = link.outcome or OUTCOME_FROM_RESPONSE.get(link.response_type or "")
        if link.response_type == "statement":
            link.response_type = None
    elif role == "response":
        if NO_RESPONSE.search(link.post.text):
            link.response_type = "no_response"
        link.response_type = link.response_type or "statement"


# How likely the learned model must find the action reading of a demand post before the
# post is also taken to report an action (with a tactic phrase that is not background)
ACTION_TOO = 0.1
# Tactics a phrase alone does not make an action of: a hashtag is how most demands are posted
NOT_ACTIONS_ALONE = frozenset({"online_campaign", "other"})


def _reports_action(reading: _Reading, decision: RoleDecision) -> bool:
    """A demand post reports an action too: a tactic phrase in the foreground ("walked off the
    job today", not "after the walkout") and the model finds the action reading plausible."""
    tactic = reading.tactic
    if tactic.value is None or tactic.value in NOT_ACTIONS_ALONE or not tactic.phrases:
        return False
    if decision.scores.get("action", 0.0) / 5.0 < ACTION_TOO:
        return False
    return not SUBORDINATE_TACTIC.search(reading.example.text)  # read lowercased


def _also_reports(link: PostLink, tactic: Detection) -> None:
    """A demand's or an answer's post reports an action too: it carries the tactic, and says so."""
    link.tactic = tactic.value
    link.reasons.append(
        f"also reports an action, tactic {link.tactic}: " + ", ".join(tactic.phrases)
    )


def _day(demand: DemandState) -> str:
    return demand.stated_at.date().isoformat() if demand.stated_at else "an unknown date"
