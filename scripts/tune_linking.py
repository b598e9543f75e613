"""Choose the grouping and linking weights the way they were chosen: a coordinate search over
the named constants, scored by campaign-grouped 5-fold cross-validation on the train split
(link F1 plus campaign grouping F1, the engine run out of fold), with dev printed beside it.
The test split is not read.

    .venv/bin/python scripts/tune_linking.py            # search from the current weights
    .venv/bin/python scripts/tune_linking.py --rounds 1

The role and code models are fitted once per fold (the weights do not change what a post
reads as), so one evaluation of a set of weights takes about a second. The script prints the
weights it would change; it edits nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from copy import deepcopy
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from role_model_cv import FOLDS, _campaign_groups, _FixedModelEngine

import campaigns.linking.engine as engine_module
import campaigns.linking.grouping as grouping_module
import campaigns.linking.linker as linker_module
import campaigns.linking.stating as stating_module
from campaigns.evaluation import LabelledPost, grouping_scores, link_scores, load_split
from campaigns.linking.learned import (
    TRAIN_FILE,
    CodeModels,
    RoleModel,
    fit_code_models,
    load_labelled,
)
from campaigns.linking.model import PostInput, PostLink, clean_text

WEIGHTS: list[tuple[ModuleType, str]] = [
    (grouping_module, name)
    for name in (
        "JOIN_THRESHOLD", "ANSWER_THRESHOLD", "RECENT_DAYS", "RECENT_BONUS",
        "SAME_AUTHOR_BONUS", "ANSWER_BONUS", "STALE_COST", "MAX_REMEMBERED", "WINDOW",
    )
] + [
    (engine_module, "UNNAMED_JOIN_THRESHOLD"), (stating_module, "RESTATE_THRESHOLD")
] + [
    (linker_module, name)
    for name in (
        "LINK_FLOOR", "EARLY_SLACK_DAYS", "CONTEXT_WEIGHT", "OTHER_CAMPAIGN_COST",
        "OTHER_COMPANY_COST", "BASE_SCORE", "TYPE_BONUS", "EARLY_COST",
    )
]  # fmt: skip
MIN_GAIN = 0.002  # smaller moves are noise on 2,159 posts


class _ReadOnceEngine(_FixedModelEngine):
    """The engine with fixed models that reads each batch of posts once (weights don't
    change the reading); every run gets a fresh copy of the readings."""

    def __init__(self, model: RoleModel, codes: CodeModels) -> None:
        super().__init__(model, codes)
        self._read_once: dict[tuple[str, ...], list[PostLink]] = {}

    def analyse_many(
        self, posts: Sequence[PostInput], context: Sequence[PostLink] = ()
    ) -> list[PostLink]:
        key = tuple(post.key for post in posts)
        if key not in self._read_once:
            self._read_once[key] = super().analyse_many(posts, context)
        return [deepcopy(link) for link in self._read_once[key]]


class Bench:
    """Out-of-fold train runs and the dev run, re-linked under the current weights."""

    def __init__(self) -> None:
        examples, labels = load_labelled(TRAIN_FILE)
        roles = [label.get("role") or "other" for label in labels]
        groups = _campaign_groups(TRAIN_FILE)
        self.train = [i for i in load_split("train") if clean_text(i.post.text)]
        self.folds: list[tuple[_ReadOnceEngine, list[LabelledPost]]] = []
        for fit_rows, held_rows in GroupKFold(FOLDS).split(examples, roles, groups):
            model = RoleModel().fit([examples[i] for i in fit_rows], [roles[i] for i in fit_rows])
            codes = fit_code_models([examples[i] for i in fit_rows], [labels[i] for i in fit_rows])
            self.folds.append((_ReadOnceEngine(model, codes), [self.train[i] for i in held_rows]))
        self.dev = load_split("dev")
        self.dev_engine = _ReadOnceEngine(
            RoleModel().fit(examples, roles), fit_code_models(examples, labels)
        )

    def measure(self) -> dict[str, float]:
        links: dict[str, PostLink] = {}
        for engine, held in self.folds:
            links.update({link.post.key: link for link in engine.run([i.post for i in held]).links})
        dev = {
            link.post.key: link for link in self.dev_engine.run([i.post for i in self.dev]).links
        }
        return {
            "cv_link": round(link_scores(self.train, links)["f1"], 3),
            "cv_grouping": round(grouping_scores(self.train, links)["f1"], 3),
            "dev_link": round(link_scores(self.dev, dev)["f1"], 3),
            "dev_grouping": round(grouping_scores(self.dev, dev)["f1"], 3),
        }


def _objective(figures: dict[str, float]) -> float:
    return figures["cv_link"] + figures["cv_grouping"]


def _candidates(value: Any) -> list[Any]:
    if isinstance(value, timedelta):
        return [value * 0.5, value * 1.5, value * 2]
    if isinstance(value, int):
        return sorted({max(1, value // 2), int(value * 1.5) + 1, value * 2 + 1} - {value})
    if value == 0:
        return [0.05, 0.1]
    return [0.0, value * 0.5, value * 1.5, value * 2.5]


def search(rounds: int) -> None:
    bench = Bench()
    best = bench.measure()
    print("current weights:", best, flush=True)
    start = {name: getattr(module, name) for module, name in WEIGHTS}
    for number in range(rounds):
        for module, name in WEIGHTS:
            current = getattr(module, name)
            for value in _candidates(current):
                setattr(module, name, value)
                figures = bench.measure()
                if _objective(figures) > _objective(best) + MIN_GAIN:
                    print(
                        f"  {module.__name__}.{name}: {current} -> {value}: {figures}", flush=True
                    )
                    best, current = figures, value
                setattr(module, name, current)
        print(f"after round {number + 1}:", best, flush=True)
    for module, name in WEIGHTS:
        if getattr(module, name) != start[name]:
            print(f"{module.__name__}.{name} = {getattr(module, name)!r} (now {start[name]!r})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    search(parser.parse_args().rounds)


if __name__ == "__main__":
    main()
