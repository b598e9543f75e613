"""Check the learned role model the way it was chosen: campaign-grouped 5-fold cross-validation
on the train split, then fitted on all of train and scored on dev. The test split is not read.

    .venv/bin/python scripts/role_model_cv.py

The engine fits the same model itself at first use (campaigns/linking/learned.py); this script
only reports how well that recipe generalises to campaigns it has not seen.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from campaigns.linking.learned import TRAIN_FILE, RoleModel, load_examples


def _campaign_groups(path: Path) -> list[str]:
    groups = []
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    for number, row in enumerate(rows):
        if row.get("text"):
            # distractors belong to no campaign: spread them over the folds
            groups.append(row["label"].get("campaign") or f"no-campaign-{number % 5}")
    return groups


def main() -> None:
    examples, roles = load_examples(TRAIN_FILE)
    groups = _campaign_groups(TRAIN_FILE)
    predicted = [""] * len(roles)
    for fit_rows, held_rows in GroupKFold(5).split(examples, roles, groups):
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


if __name__ == "__main__":
    main()
