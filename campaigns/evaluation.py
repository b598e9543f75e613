"""`campaigns eval`: how well the linking engine does on the labelled set.

The labelled posts (tests/data/linking/posts_<split>.jsonl) go through the same engine code as
posts from the store. Reported: role accuracy and macro-F1, company resolution accuracy,
response-to-demand link precision / recall / F1, outcome accuracy, and throughput.

Splits: ``train`` (the learned role and outcome models in campaigns/linking/learned.py are
fitted on it and nothing else; its own score here is therefore optimistic), ``dev`` (thresholds and rules were
chosen on it and on campaign-grouped cross-validation of train, see scripts/role_model_cv.py) and
``test`` (held out: neither read to write rules nor used to choose settings; the figure to
report). Campaigns are disjoint between splits.

A link is judged per post: the engine's answer for a response or outcome post is the post that
states the demand it links to. It is right when that post is labelled with the same demand. A
link proposed for a post that answers nothing (or whose demand no post states) is a false
positive; a gold link the engine misses or gets wrong is a false negative.

A demand is sometimes stated only in the post announcing an action ("walked out, demanding the
building be closed"), and the engine then links its answers to that post. The measure above
counts such a link as a false positive, as it always has; ``link_stated_in_actions`` is the same
measure with, for an answer whose demand no demand post states, the action posts labelled with
that demand as its targets. Both are reported; the first stays the headline figure.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from campaigns.codebook import DEMAND_TYPE, OUTCOME, RESPONSE_TYPE, TACTIC
from campaigns.linking.decide import ANSWERS
from campaigns.linking.engine import ENGINE_VERSION, LinkingEngine
from campaigns.linking.learned import campaign_struggles
from campaigns.linking.model import LinkRun, PostInput, PostLink
from campaigns.linking.roles import ROLES
from campaigns.text import normalize_name

LABELLED_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "linking"
SPLITS = ("dev", "test", "train")


class LabelledSetError(ValueError):
    """The labelled file is missing or malformed (the message names file and line)."""


@dataclass(frozen=True)
class LabelledPost:
    post: PostInput
    label: dict[str, Any]


def post_key(platform: str, platform_post_id: str) -> str:
    return f"{platform}:{platform_post_id}"


def load_split(split: str, directory: Path = LABELLED_DIR) -> list[LabelledPost]:
    """The labelled posts of one split, as engine inputs with their labels."""
    if split not in SPLITS:
        raise LabelledSetError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    path = directory / f"posts_{split}.jsonl"
    if not path.exists():
        raise LabelledSetError(f"{path} is missing: the labelled set is not there yet")
    return load_file(path)


def load_file(path: Path) -> list[LabelledPost]:
    """The labelled posts of one posts file (FORMAT.md), in file order.

    Each line is checked: the post's fields, a role of the five, codes from the codebook and
    one line per post. The error names the file and line and what to fix; nothing is scored
    from a file with a bad line.
    """
    if not path.is_file():
        raise LabelledSetError(f"{path} is missing: give a posts file in the labelled format")
    posts: list[LabelledPost] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}, line {line_number}"
            try:
                row = json.loads(line)
                post = PostInput(
                    key=post_key(row["platform"], str(row["platform_post_id"])),
                    text=row.get("text") or "",
                    posted_at=datetime.fromisoformat(row["posted_at"]),
                    platform=row["platform"],
                    author_handle=row.get("author_handle"),
                    url=row.get("url"),
                    lang=row.get("lang"),
                    source_kind=row.get("source_kind"),
                    quote_of_url=row.get("quote_of"),
                    reply_to_url=row.get("reply_to"),
                )
                label = dict(row["label"])
            except (KeyError, TypeError, ValueError) as exc:
                raise LabelledSetError(f"{where}: {exc!r}") from None
            _check_label(label, where)
            if post.key in seen:
                raise LabelledSetError(
                    f"{where}: post {post.key} is already on line {seen[post.key]}; "
                    "give each post one line"
                )
            seen[post.key] = line_number
            posts.append(LabelledPost(post, label))
    if not posts:
        raise LabelledSetError(f"{path} holds no labelled posts")
    return posts


LABEL_CODES = {
    "demand_type": DEMAND_TYPE,
    "tactic": TACTIC,
    "response_type": RESPONSE_TYPE,
    "outcome": OUTCOME,
}


def _check_label(label: dict[str, Any], where: str) -> None:
    """A label's role and codes are ones the engine can be scored on (FORMAT.md)."""
    role = label.get("role")
    if role is not None and role not in ROLES:
        raise LabelledSetError(
            f"{where}: label role {role!r} is not one of {', '.join(ROLES)} (or null for other)"
        )
    for code, vocabulary in LABEL_CODES.items():
        value = label.get(code)
        if value is not None and value not in vocabulary.values:
            raise LabelledSetError(
                f"{where}: label {code} {value!r} is not a codebook value; "
                f"use one of {', '.join(vocabulary.values)} (or null)"
            )


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def role_scores(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 over the five roles, and per-role precision / recall / F1."""
    per_role: dict[str, dict[str, float]] = {}
    for role in ROLES:
        tp = sum(g == role and p == role for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != role and p == role for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == role and p != role for g, p in zip(gold, predicted, strict=True))
        per_role[role] = {**_prf(tp, fp, fn), "support": float(tp + fn)}
    present = [r for r in ROLES if per_role[r]["support"] > 0]
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(len(gold), 1)
    macro = sum(per_role[r]["f1"] for r in present) / max(len(present), 1)
    return {"accuracy": accuracy, "macro_f1": macro, "per_role": per_role}


def _answer_targets(
    labelled: list[LabelledPost], stated_in_actions: bool = False
) -> dict[str, set[str]]:
    """For each labelled response or outcome, the posts labelled as stating its demand (with
    ``stated_in_actions``, for a demand no demand post states, the actions labelled with it)."""
    demand_posts: dict[str, set[str]] = {}
    action_posts: dict[str, set[str]] = {}
    for item in labelled:
        role, demand = item.label.get("role"), item.label.get("demand")
        if role == "demand" and demand:
            demand_posts.setdefault(demand, set()).add(item.post.key)
        elif role == "action" and demand and stated_in_actions:
            action_posts.setdefault(demand, set()).add(item.post.key)
    for demand, posts in action_posts.items():
        demand_posts.setdefault(demand, posts)
    return {
        item.post.key: demand_posts.get(item.label["demand"], set())
        for item in labelled
        if item.label.get("role") in ANSWERS and item.label.get("demand")
    }


def _linked_post(link: PostLink) -> str | None:
    """The demand post a link points at, when the engine reads the post as an answer."""
    return link.linked_post_key if link.role in ANSWERS else None


def link_scores(
    labelled: list[LabelledPost], links: dict[str, PostLink], stated_in_actions: bool = False
) -> dict[str, float]:
    """Response-to-demand link precision, recall and F1 (see the module docstring)."""
    targets = _answer_targets(labelled, stated_in_actions)
    tp = fp = fn = 0
    for item in labelled:
        gold_targets = targets.get(item.post.key, set())
        predicted = _linked_post(links[item.post.key])
        if predicted is not None and predicted in gold_targets:
            tp += 1
        else:
            if predicted is not None:
                fp += 1
            if gold_targets:
                fn += 1
    scores = _prf(tp, fp, fn)
    scores.update(true_positives=tp, false_positives=fp, false_negatives=fn)
    return scores


def alternatives_recall(
    labelled: list[LabelledPost], links: dict[str, PostLink], run: LinkRun
) -> float:
    """Share of answers whose demand was posted that are linked to it, or offered it among the
    alternatives a reviewer can pick (``link_scores``' recall, counting the alternatives too)."""
    targets = {key: found for key, found in _answer_targets(labelled).items() if found}
    right = 0
    for key, gold_targets in targets.items():
        link = links[key]
        offered = {_linked_post(link)}
        if link.role in ANSWERS:
            offered |= {run.demands[d].post_key for d, _ in link.alternatives if d in run.demands}
        right += bool(offered & gold_targets)
    return right / len(targets) if targets else 0.0


def grouping_scores(labelled: list[LabelledPost], links: dict[str, PostLink]) -> dict[str, float]:
    """B-cubed precision / recall / F1 of campaigns over posts labelled with a campaign."""
    gold: dict[str, str] = {
        i.post.key: str(i.label["campaign"]) for i in labelled if i.label.get("campaign")
    }
    predicted = {k: links[k].campaign_key or f"single:{k}" for k in gold}
    by_gold: dict[str, set[str]] = {}
    by_pred: dict[str, set[str]] = {}
    for key in gold:
        by_gold.setdefault(gold[key], set()).add(key)
        by_pred.setdefault(predicted[key], set()).add(key)
    if not gold:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    precision = recall = 0.0
    for key in gold:
        same_pred, same_gold = by_pred[predicted[key]], by_gold[gold[key]]
        overlap = len(same_pred & same_gold)
        precision += overlap / len(same_pred)
        recall += overlap / len(same_gold)
    precision, recall = precision / len(gold), recall / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def gold_company(engine: LinkingEngine, slug: str | None) -> str | None:
    """A labelled company slug in the registry's terms ('twitter' is the registry's x-corp).

    A label naming a registry entry that FORMAT.md codes as a business unit (Blizzard
    Entertainment under Activision Blizzard) is read as the campaign company it belongs to,
    the way the engine codes it and the labelling convention asks.
    """
    if slug is None:
        return None
    if slug in engine.resolver.registry.entries:
        return engine.resolver.campaign_company(slug)[0]
    name = engine.resolver.names.get(normalize_name(slug.replace("-", " ")))
    return name.slug if name else slug


def gold_company_and_unit(
    engine: LinkingEngine, label: dict[str, Any]
) -> tuple[str | None, str | None]:
    """A label's company and business unit in the registry's terms. A label naming a registry
    entry that is coded as a unit of its parent (Postmates under Uber), with no unit of its own,
    is read as that parent and unit, as ``gold_company`` reads the company alone: otherwise the
    same label would count as right for the company and wrong for the company and unit."""
    slug, unit = label.get("company"), label.get("business_unit")
    if slug in engine.resolver.registry.entries:
        company, coded_unit = engine.resolver.campaign_company(slug)
        return company, unit if unit is not None else coded_unit
    return gold_company(engine, slug), unit


def company_scores(
    engine: LinkingEngine, labelled: Sequence[LabelledPost], links: dict[str, PostLink]
) -> dict[str, dict[str, float]]:
    """Accuracy of the company, and of the company with its business unit, over every post."""
    companies, units = [], []
    for item in labelled:
        link = links[item.post.key]
        gold = gold_company_and_unit(engine, item.label)
        companies.append((gold[0], link.company))
        units.append((gold, (link.company, link.business_unit)))
    return {"company": _accuracy(companies), "company_and_unit": _accuracy(units)}


def _accuracy(pairs: list[tuple[Any, Any]]) -> dict[str, float]:
    right = sum(g == p for g, p in pairs)
    return {"accuracy": right / len(pairs) if pairs else 0.0, "n": float(len(pairs))}


def code_scores(
    labelled: Sequence[LabelledPost], links: dict[str, PostLink]
) -> dict[str, dict[str, float]]:
    """Accuracy of each code the engine proposes, over the posts labelled with it: the outcome
    and response type wherever labelled, the demand type of demands, the tactic of actions."""
    wanted = {
        "outcome": None,
        "response_type": None,
        "demand_type": "demand",
        "tactic": "action",
    }
    return {
        code: _accuracy(
            [
                (item.label[code], getattr(links[item.post.key], code))
                for item in labelled
                if item.label.get(code) and role in (None, item.label.get("role"))
            ]
        )
        for code, role in wanted.items()
    }


def struggle_scores(
    labelled: Sequence[LabelledPost], run: LinkRun, struggles: dict[str, str]
) -> dict[str, float]:
    """How often a campaign post's campaign, as the engine grouped it, has the struggle of the
    labelled campaign (``struggles``: campaign key -> struggle); one pair per campaign post.
    Also how many were given one at all (``proposed``) and how many of those were right."""
    links = {link.post.key: link for link in run.links}
    pairs = []
    for item in labelled:
        gold = struggles.get(item.label.get("campaign") or "")
        if gold is None or (item.label.get("role") or "other") == "other":
            continue
        campaign = run.campaigns.get(links[item.post.key].campaign_key or "")
        pairs.append((gold, campaign.struggle if campaign else None))
    proposed = [(gold, found) for gold, found in pairs if found is not None]
    return {
        **_accuracy(pairs),  # a struggle left to the reviewer counts as wrong
        "proposed": len(proposed) / len(pairs) if pairs else 0.0,
        "accuracy_where_proposed": _accuracy(proposed)["accuracy"],
    }


def evaluate(
    split: str = "test",
    directory: Path = LABELLED_DIR,
    engine: LinkingEngine | None = None,
    file: Path | None = None,
) -> dict[str, Any]:
    """Run the engine on one split, or on a labelled posts ``file`` of one's own in the same
    format, and score it against the labels."""
    labelled = load_file(file) if file is not None else load_split(split, directory)
    engine = engine or LinkingEngine()
    engine.model  # noqa: B018 - fit the learned models (once) before the clock starts
    engine.codes  # noqa: B018
    started = time.perf_counter()
    run = engine.run([item.post for item in labelled])
    elapsed = time.perf_counter() - started
    links = {link.post.key: link for link in run.links}
    gold_roles = [item.label.get("role") or "other" for item in labelled]
    predicted_roles = [links[item.post.key].role for item in labelled]
    return {
        "split": None if file is not None else split,
        "file": str(file) if file is not None else None,
        "engine_version": ENGINE_VERSION,
        "posts": len(labelled),
        "gold_roles": dict(Counter(gold_roles)),
        "role": role_scores(gold_roles, predicted_roles),
        **company_scores(engine, labelled, links),
        "link": link_scores(labelled, links),
        "link_stated_in_actions": link_scores(labelled, links, stated_in_actions=True),
        "link_recall_with_alternatives": alternatives_recall(labelled, links, run),
        "campaign_grouping_bcubed": grouping_scores(labelled, links),
        **code_scores(labelled, links),
        "campaign_struggle": struggle_scores(
            labelled, run, campaign_struggles(file or directory / f"posts_{split}.jsonl")
        ),
        "throughput_posts_per_s": len(labelled) / elapsed if elapsed > 0 else 0.0,
        "seconds": elapsed,
    }


def errors(
    split: str = "dev", directory: Path = LABELLED_DIR, file: Path | None = None
) -> list[dict[str, Any]]:
    """Every post the engine reads wrong on role, company or link, with the engine's reasons.

    A link is wrong exactly when ``link_scores`` counts it as a false positive or a false
    negative. The test split is refused: it is held out, and reading its errors is tuning on it.
    """
    held_out = directory / "posts_test.jsonl"
    if (file is None and split == "test") or (
        file is not None and file.resolve() == held_out.resolve()
    ):
        raise LabelledSetError(
            "the test split is held out: look at the errors of --split dev or --split train"
        )
    labelled = load_file(file) if file is not None else load_split(split, directory)
    engine = LinkingEngine()
    links = {link.post.key: link for link in engine.run([i.post for i in labelled]).links}
    targets = _answer_targets(labelled)
    label_of = {item.post.key: item.label for item in labelled}
    found = []
    for item in labelled:
        link = links[item.post.key]
        problems = []
        if link.role != (item.label.get("role") or "other"):
            problems.append(f"role {link.role}, labelled {item.label.get('role') or 'other'}")
        gold = gold_company(engine, item.label.get("company"))
        if link.company != gold:
            problems.append(f"company {link.company}, labelled {gold}")
        predicted, gold_targets = _linked_post(link), targets.get(item.post.key, set())
        if (predicted is None and gold_targets) or (predicted and predicted not in gold_targets):
            linked = label_of.get(predicted, {}).get("demand") if predicted else None
            problems.append(f"linked to demand {linked}, labelled {item.label.get('demand')}")
        if problems:
            found.append(
                {"post": item.post.key, "problems": problems, "text": item.post.text[:300],
                 "source_kind": item.post.source_kind, "reasons": link.reasons}
            )  # fmt: skip
    return found
