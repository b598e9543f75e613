"""Dump the engine's out-of-fold readings of the train split (and its readings of dev and the
unseen sets) one post per line, beside the labels, for reading errors.

    .venv/bin/python scripts/cv_dump.py OUT_DIR

Writes OUT_DIR/train_cv.jsonl, dev.jsonl, unseen_a.jsonl, unseen_b.jsonl, unseen_c.jsonl. Each
line: key, text, the gold label, the gold demand posts an answer may link to, and the engine's
role, company, unit, campaign, linked post, demand type, response type, outcome and reasons.
Held-out set d and the test split are not read.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from role_model_cv import FOLDS, _campaign_groups, _FixedModelEngine

from campaigns.evaluation import (
    LABELLED_DIR,
    LabelledPost,
    _answer_targets,
    _linked_post,
    load_file,
    load_split,
)
from campaigns.linking.learned import (
    TRAIN_FILE,
    RoleModel,
    campaign_struggles,
    fit_code_models,
    load_labelled,
)
from campaigns.linking.model import PostLink, clean_text


def _rows(labelled: Sequence[LabelledPost], links: dict[str, PostLink]) -> list[dict]:
    targets = _answer_targets(list(labelled))
    rows = []
    for item in labelled:
        link = links[item.post.key]
        rows.append(
            {
                "key": item.post.key,
                "text": item.post.text,
                "gold": item.label,
                "targets": sorted(targets.get(item.post.key, set())),
                "role": link.role,
                "role_scores": {r: round(s, 3) for r, s in link.role_scores.items()},
                "company": link.company,
                "unit": link.business_unit,
                "campaign": link.campaign_key,
                "linked": _linked_post(link),
                "demand_type": link.demand_type,
                "response_type": link.response_type,
                "outcome": link.outcome,
                "tactic": link.tactic,
                "score": round(link.score, 3),
                "reasons": link.reasons,
                "alternatives": link.alternatives,
            }
        )
    return rows


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    examples, labels = load_labelled(TRAIN_FILE)
    roles = [label.get("role") or "other" for label in labels]
    groups = _campaign_groups(TRAIN_FILE)
    labelled = [i for i in load_split("train") if clean_text(i.post.text)]
    struggles = campaign_struggles(TRAIN_FILE)
    links: dict[str, PostLink] = {}
    for fold, (fit_rows, held_rows) in enumerate(GroupKFold(FOLDS).split(examples, roles, groups)):
        model = RoleModel().fit([examples[i] for i in fit_rows], [roles[i] for i in fit_rows])
        codes = fit_code_models(
            [examples[i] for i in fit_rows], [labels[i] for i in fit_rows], struggles
        )
        run = _FixedModelEngine(model, codes).run([labelled[i].post for i in held_rows])
        for link in run.links:
            link.campaign_key = f"f{fold}:{link.campaign_key}"
            links[link.post.key] = link
    _write(out / "train_cv.jsonl", _rows(labelled, links))
    engine = _FixedModelEngine(
        RoleModel().fit(examples, roles), fit_code_models(examples, labels, struggles)
    )
    sets = {"dev": load_split("dev")}
    for name in "abc":
        sets[f"unseen_{name}"] = load_file(LABELLED_DIR / "unseen" / f"posts_{name}.jsonl")
    for name, items in sets.items():
        run = engine.run([i.post for i in items])
        _write(out / f"{name}.jsonl", _rows(items, {link.post.key: link for link in run.links}))


if __name__ == "__main__":
    main()
