"""The role of a post, decided from the learned model's probabilities and the rules' phrases.

The model gives each role a probability; the rules know the phrases. ``learned_decision`` takes
the model's role (an answer where response and outcome together outweigh the rest, see
``ANSWER_WEIGHT``) and explains it with the phrases; ``asks_nothing`` and
``claimed_win_decision`` settle two cases the model reads wrong often enough to matter; and
``asking_is_next`` says when an answer's second reading, a demand, is worth weighing.
"""

from __future__ import annotations

from campaigns.linking.roles import ROLES, RoleDecision, claimed_win, demand_phrases

ANSWERS = ("response", "outcome")
# how much the model's response and outcome probabilities together count against the likeliest
# other role: above 1, a post the model half reads as an answer is proposed as one (with the
# demand it answers), since a reviewer turns a wrong answer back into an action in one edit but
# cannot pick a demand for a post not offered as an answer. Train CV against 1: link F1 0.454 ->
# 0.458, link recall with alternatives 0.525 -> 0.561, grouping 0.794 -> 0.807, role macro-F1
# 0.692 -> 0.688; dev link 0.866 -> 0.869 (1.25 a little less; 2 and 3 lost dev and the CV)
ANSWER_WEIGHT = 1.5
# a demand read with an action this nearly as likely, in a post that asks for nothing, is an
# action (a tie-break: on the train CV and dev no figure moves from 0.9 up; at 0.5 the CV's link
# recall with alternatives loses 0.009, since labelled demands need not phrase an ask)
ASKS_NOTHING_TIE = 0.9
# how likely (5 x the model's probability) the demand reading of an answer must be for the
# answer to be read as its campaign's demand when the campaign has none (stating.demand_misread)
MISREAD_DEMAND = 0.5


def learned_decision(
    rules: RoleDecision, learned: dict[str, float], source_kind: str | None
) -> RoleDecision:
    """The model's role, explained by the rule phrases for it and the model's confidence.

    A response and an outcome report both answer a demand: when their probabilities together,
    weighed by ``ANSWER_WEIGHT``, outweigh each other role, the post answers one (the likelier of
    the two). The reasons and scores give the model's own probabilities.
    """
    role = max(ROLES, key=lambda r: (learned.get(r, 0.0), r))
    answer = ANSWER_WEIGHT * (learned.get("response", 0.0) + learned.get("outcome", 0.0))
    if role not in ANSWERS and answer > learned.get(role, 0.0):
        role = max(ANSWERS, key=lambda r: (learned.get(r, 0.0), r))
    p = learned.get(role, 0.0)
    if role == "other":
        reasons = [f"no demand, action, response or outcome (model p={p:.2f})"]
        if rules.phrases.get("other"):
            reasons.append("unrelated-news phrases: " + ", ".join(rules.phrases["other"][:3]))
    else:
        shown = ", ".join(f"'{x}'" for x in dict.fromkeys(rules.phrases.get(role, [])[:4]))
        reasons = [f"{role} (model p={p:.2f})" + (f": {shown}" if shown else "")]
        if source_kind:
            reasons.append(f"posted by a {source_kind.replace('_', ' ')} source")
    scores = {r: round(5.0 * learned.get(r, 0.0), 3) for r in ROLES}
    return RoleDecision(role, 5.0 * p, scores, reasons, rules.phrases)


def asks_nothing(
    decision: RoleDecision, rules: RoleDecision, learned: dict[str, float], text: str
) -> RoleDecision:
    """The model torn between a demand and an action (within ``ASKS_NOTHING_TIE``) reads an
    action when the post asks for nothing and names what was done: "Hundreds of us walked out
    at noon today and rallied at the front entrance" (first-person worker posts lean to demand)."""
    if decision.role != "demand" or not rules.phrases.get("action"):
        return decision
    if rules.phrases.get("demand") or demand_phrases(text):
        return decision
    demand, action = learned.get("demand", 0.0), learned.get("action", 0.0)
    if action < ASKS_NOTHING_TIE * demand:
        return decision
    shown = ", ".join(f"'{x}'" for x in dict.fromkeys(rules.phrases["action"][:4]))
    reasons = [
        f"action (model p={action:.2f}, demand p={demand:.2f}, but it asks for nothing): {shown}",
        *decision.reasons[1:],
    ]
    return RoleDecision("action", 5.0 * action, decision.scores, reasons, decision.phrases)


def claimed_win_decision(
    decision: RoleDecision, text: str, source_kind: str | None
) -> RoleDecision:
    """A post read as a demand, an action or nothing that opens by claiming a win reports an
    outcome (a company's own post is not a worker's claim; a response stays a response)."""
    if decision.role in ANSWERS or source_kind == "company":
        return decision
    phrase = claimed_win(text)
    if phrase is None:
        return decision
    reasons = [f"outcome: opens by claiming a win, '{phrase}' (the model read {decision.role})"]
    reasons += decision.reasons[1:]
    score = max(decision.score, 2.5)
    return RoleDecision("outcome", score, decision.scores, reasons, decision.phrases)


def asking_is_next(scores: dict[str, float]) -> bool:
    """An answer is the likeliest reading of a post and asking the second, likely enough to
    weigh."""
    ranked = sorted(scores, key=lambda role: -scores[role])
    return (
        len(ranked) > 1
        and ranked[0] in ANSWERS
        and ranked[1] == "demand"
        and scores["demand"] >= MISREAD_DEMAND
    )
