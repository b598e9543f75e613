"""Check the learned role model and the whole engine the way they are chosen: campaign-grouped
5-fold cross-validation on the train split, then fitted on all of train and scored on dev. The
test split is not read.

    .venv/bin/python scripts/role_model_cv.py            # role model alone, then the engine
    .venv/bin/python scripts/role_model_cv.py --quick    # the engine's figures only
    .venv/bin/python scripts/role_model_cv.py --gold-roles  # the engine given the labelled roles
    .venv/bin/python scripts/role_model_cv.py --gold-roles-of action  # ... of these roles only

The engine fits the same model itself at first use (campaigns/linking/learned.py); this script
only reports how well that recipe generalises to campaigns it has not seen. In the engine's
cross-validation each fold's posts are linked by an engine whose role model was fitted on the
other folds, so role, company and link figures are all out-of-fold. With --gold-roles the engine
reads every post's labelled role instead (what linking would score with perfect roles), and the
answers whose demand was posted are sorted by where their link went.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from campaigns.evaluation import (
    LabelledPost,
    _answer_targets,
    _linked_post,
    alternatives_recall,
    code_scores,
    company_scores,
    grouping_scores,
    link_scores,
    load_split,
    role_scores,
    struggle_scores,
)
from campaigns.linking.engine import LinkingEngine
from campaigns.linking.learned import (
    LEARNED_ROLES,
    TRAIN_FILE,
    CodeModels,
    RoleExample,
    RoleModel,
    campaign_struggles,
    fit_code_models,
    load_examples,
    load_labelled,
)
from campaigns.linking.model import LinkRun, PostLink, clean_text

FOLDS = 5


def _campaign_groups(path: Path) -> list[str]:
    groups = []
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    for number, row in enumerate(rows):
        if clean_text(row.get("text") or ""):
            # distractors belong to no campaign: spread them over the folds
            groups.append(row["label"].get("campaign") or f"no-campaign-{number % FOLDS}")
    return groups


class _FixedModelEngine(LinkingEngine):
    """The engine with given models instead of the ones fitted on all of train."""

    def __init__(self, model: RoleModel, codes: CodeModels | None = None) -> None:
        super().__init__()
        self._fixed = model
        self._fixed_codes = codes or CodeModels()

    @property
    def model(self) -> RoleModel | None:
        return self._fixed

    @property
    def codes(self) -> CodeModels:
        return self._fixed_codes


def _scores(
    engine: LinkingEngine,
    labelled: Sequence[LabelledPost],
    links: dict[str, PostLink],
    run: LinkRun,
):
    gold = [item.label.get("role") or "other" for item in labelled]
    predicted = [links[item.post.key].role for item in labelled]
    roles = role_scores(gold, predicted)
    companies = company_scores(engine, labelled, links)
    link = link_scores(list(labelled), links)
    codes = code_scores(labelled, links)
    every = LinkRun(links=list(links.values()), campaigns=run.campaigns)
    struggle = struggle_scores(labelled, every, campaign_struggles(TRAIN_FILE))
    if not struggle["n"]:  # dev: its own campaigns file
        struggle = struggle_scores(
            labelled, every, campaign_struggles(TRAIN_FILE.with_name("posts_dev.jsonl"))
        )
    per_role = {r: round(v["f1"], 3) for r, v in roles["per_role"].items()}
    return {
        "role_macro_f1": round(roles["macro_f1"], 3),
        "company": round(companies["company"]["accuracy"], 3),
        "company_and_unit": round(companies["company_and_unit"]["accuracy"], 3),
        "link_f1": round(link["f1"], 3),
        "link_recall_with_alternatives": round(alternatives_recall(list(labelled), links, run), 3),
        "link_f1_stated_in_actions": round(
            link_scores(list(labelled), links, stated_in_actions=True)["f1"], 3
        ),
        "grouping_f1": round(grouping_scores(list(labelled), links)["f1"], 3),
        **{code: round(value["accuracy"], 3) for code, value in codes.items()},
        "outcome_n": int(codes["outcome"]["n"]),
        "campaign_struggle": round(struggle["accuracy"], 3),
        "struggle_proposed": round(struggle["proposed"], 3),
        "struggle_where_proposed": round(struggle["accuracy_where_proposed"], 3),
        "per_role_f1": per_role,
    }


def labelled_roles() -> dict[tuple[str, str | None], str]:
    """Each train and dev post's labelled role, by its cleaned text and source kind."""
    gold: dict[tuple[str, str | None], str] = {}
    for split in ("train", "dev"):
        examples, labels = load_labelled(TRAIN_FILE.with_name(f"posts_{split}.jsonl"))
        for example, label in zip(examples, labels, strict=True):
            gold[(example.text, example.source_kind)] = label.get("role") or "other"
    return gold


class GoldRoles(RoleModel):
    """An oracle in the role model's place: each post's labelled role, with certainty."""

    def __init__(self) -> None:
        super().__init__()
        self.gold = labelled_roles()

    def fit(self, examples: Sequence[RoleExample], labels: Sequence[str]) -> GoldRoles:
        return self

    def probabilities(self, examples: Sequence[RoleExample]) -> list[dict[str, float]]:
        rows = []
        for example in examples:
            role = self.gold[(example.text, example.source_kind)]
            rows.append({r: float(r == role) for r in LEARNED_ROLES})
        return rows


class GoldRolesOf(RoleModel):
    """The role model, told the labels of the posts labelled with one of ``roles``: what
    reading those roles right would be worth (``--gold-roles-of action``)."""

    def __init__(self, roles: frozenset[str], gold: dict[tuple[str, str | None], str]) -> None:
        super().__init__()
        self.roles, self.gold = roles, gold

    def probabilities(self, examples: Sequence[RoleExample]) -> list[dict[str, float]]:
        rows = super().probabilities(examples)
        for i, example in enumerate(examples):
            role = self.gold[(example.text, example.source_kind)]
            if role in self.roles:
                rows[i] = {r: float(r == role) for r in LEARNED_ROLES}
        return rows


def where_links_went(labelled: Sequence[LabelledPost], links: dict[str, PostLink]) -> Counter[str]:
    """Each answer whose demand was posted, by where its link went."""
    labels = {item.post.key: item.label for item in labelled}
    found: Counter[str] = Counter()
    for key, targets in _answer_targets(list(labelled)).items():
        if not targets:
            continue
        linked = _linked_post(links[key])
        gold, chosen = labels[key], labels.get(linked or "", {})
        if linked in targets:
            found["the demand answered"] += 1
        elif linked is None:
            found["no demand (not read as an answer, or none found)"] += 1
        elif chosen.get("campaign") == gold.get("campaign"):
            found["another demand of its campaign"] += 1
        elif chosen.get("company") == gold.get("company"):
            found["a demand of another campaign at the company"] += 1
        else:
            found["a demand at another company"] += 1
    return found


def train_split() -> tuple[list[RoleExample], list[dict[str, Any]], list[LabelledPost]]:
    """The train split's role examples, labels and labelled posts (without empty posts), in
    the same order."""
    examples, labels = load_labelled(TRAIN_FILE)
    labelled = [i for i in load_split("train") if clean_text(i.post.text)]
    assert len(labelled) == len(examples)
    return examples, labels, labelled


def out_of_fold_runs(
    examples: Sequence[RoleExample],
    labels: Sequence[dict[str, Any]],
    labelled: Sequence[LabelledPost],
    make_model: Callable[[], RoleModel] = RoleModel,
) -> Iterator[tuple[LinkingEngine, LinkRun]]:
    """For each campaign-grouped fold of train, an engine whose role and code models were
    fitted on the other folds, and its run over the fold's posts."""
    roles = [label.get("role") or "other" for label in labels]
    groups = _campaign_groups(TRAIN_FILE)
    struggles = campaign_struggles(TRAIN_FILE)
    for fit_rows, held_rows in GroupKFold(FOLDS).split(examples, roles, groups):
        model = make_model().fit([examples[i] for i in fit_rows], [roles[i] for i in fit_rows])
        codes = fit_code_models(
            [examples[i] for i in fit_rows], [labels[i] for i in fit_rows], struggles
        )
        engine = _FixedModelEngine(model, codes)
        yield engine, engine.run([labelled[i].post for i in held_rows])


def fitted_on_train(
    examples: Sequence[RoleExample],
    labels: Sequence[dict[str, Any]],
    make_model: Callable[[], RoleModel] = RoleModel,
) -> LinkingEngine:
    """The engine with its role and code models fitted on all of train (to read dev)."""
    roles = [label.get("role") or "other" for label in labels]
    codes = fit_code_models(examples, labels, campaign_struggles(TRAIN_FILE))
    return _FixedModelEngine(make_model().fit(examples, roles), codes)


def engine_cv(make_model: Callable[[], RoleModel] = RoleModel) -> dict[str, Any]:
    """Out-of-fold engine figures on train (campaign-grouped) and the dev figures."""
    examples, labels, labelled = train_split()
    links: dict[str, PostLink] = {}
    demands = LinkRun(links=[])  # every fold's demands, for the alternatives they offer
    for _, run in out_of_fold_runs(examples, labels, labelled, make_model):
        links.update({link.post.key: link for link in run.links})
        demands.demands.update(run.demands)
        demands.campaigns.update(run.campaigns)
    dev_engine = fitted_on_train(examples, labels, make_model)
    # scoring reads only the engine's company registry, the same in every engine here
    cv = _scores(dev_engine, labelled, links, demands)
    cv["links_went"] = dict(where_links_went(labelled, links).most_common())
    dev_labelled = load_split("dev")
    dev_run = dev_engine.run([i.post for i in dev_labelled])
    dev_links = {link.post.key: link for link in dev_run.links}
    return {"train_cv": cv, "dev": _scores(dev_engine, dev_labelled, dev_links, dev_run)}


def role_model_cv() -> None:
    examples, roles = load_examples(TRAIN_FILE)
    groups = _campaign_groups(TRAIN_FILE)
    predicted = [""] * len(roles)
    for fit_rows, held_rows in GroupKFold(FOLDS).split(examples, roles, groups):
        model = RoleModel().fit([examples[i] for i in fit_rows], [roles[i] for i in fit_rows])
        held = model.probabilities([examples[i] for i in held_rows])
        for i, probabilities in zip(held_rows, held, strict=True):
            predicted[i] = max(probabilities, key=lambda r: probabilities[r])
    print(
        f"train, campaign-grouped 5-fold CV: macro-F1 {f1_score(roles, predicted, average='macro'):.3f}"
    )
    print(classification_report(roles, predicted, digits=3, zero_division=0))
    dev_examples, dev_roles = load_examples(TRAIN_FILE.with_name("posts_dev.jsonl"))
    model = RoleModel().fit(examples, roles)
    dev = model.probabilities(dev_examples)
    dev_predicted = [max(p, key=lambda r: p[r]) for p in dev]
    print(
        f"fitted on train, scored on dev: macro-F1 {f1_score(dev_roles, dev_predicted, average='macro'):.3f}"
    )


def main() -> None:
    if "--gold-roles" in sys.argv:
        oracle = GoldRoles()  # reads the labelled files once; fitting it changes nothing
        figures = engine_cv(lambda: oracle)
        print("engine given the labelled roles, train CV:", figures["train_cv"])
        print("engine given the labelled roles, on dev:", figures["dev"])
        return
    if "--gold-roles-of" in sys.argv:
        roles = frozenset(sys.argv[sys.argv.index("--gold-roles-of") + 1].split(","))
        gold = labelled_roles()
        figures = engine_cv(lambda: GoldRolesOf(roles, gold))
        print(f"engine told the labels of {', '.join(sorted(roles))} posts, train CV:",
              figures["train_cv"])  # fmt: skip
        print(
            f"engine told the labels of {', '.join(sorted(roles))} posts, on dev:", figures["dev"]
        )
        return
    if "--quick" not in sys.argv:
        role_model_cv()
    figures = engine_cv()
    print("engine, train campaign-grouped 5-fold CV (out-of-fold):", figures["train_cv"])
    print("engine, fitted on train, on dev:", figures["dev"])


if __name__ == "__main__":
    main()
