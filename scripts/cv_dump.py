"""Dump the engine's out-of-fold readings of the train split (and its readings of dev and the
unseen sets) one post per line, beside the labels, for reading errors.

    .venv/bin/python scripts/cv_dump.py OUT_DIR [--gold-roles]

Writes OUT_DIR/train_cv.jsonl, dev.jsonl, unseen_a.jsonl ... unseen_c.jsonl and
unseen_e.jsonl. Each line: key, text, the gold label, the gold demand posts an answer may link
to, and the engine's role, company, unit, campaign, linked post, demand type, response type,
outcome and reasons. Held-out sets d and f and the test split are not read. With --gold-roles
the engine is given the labelled roles (as ``role_model_cv.py --gold-roles``), to read the
linker's own errors.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from role_model_cv import GoldRoles, fitted_on_train, out_of_fold_runs, train_split

from campaigns.evaluation import (
    LABELLED_DIR,
    LabelledPost,
    _answer_targets,
    _linked_post,
    load_file,
    load_split,
)
from campaigns.linking.learned import RoleModel
from campaigns.linking.model import PostLink


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
    make_model: Callable[[], RoleModel] = RoleModel
    if "--gold-roles" in sys.argv:
        oracle = GoldRoles()
        make_model = lambda: oracle  # noqa: E731
    examples, labels, labelled = train_split()
    links: dict[str, PostLink] = {}
    for fold, (_, run) in enumerate(out_of_fold_runs(examples, labels, labelled, make_model)):
        for link in run.links:
            if link.campaign_key is not None:  # campaign keys are unique per fold only
                link.campaign_key = f"f{fold}:{link.campaign_key}"
            links[link.post.key] = link
    _write(out / "train_cv.jsonl", _rows(labelled, links))
    engine = fitted_on_train(examples, labels, make_model)
    sets = {"dev": load_split("dev")}
    for name in "" if "--gold-roles" in sys.argv else "abce":  # the oracle knows train and dev
        sets[f"unseen_{name}"] = load_file(LABELLED_DIR / "unseen" / f"posts_{name}.jsonl")
    for name, items in sets.items():
        run = engine.run([i.post for i in items])
        _write(out / f"{name}.jsonl", _rows(items, {link.post.key: link for link in run.links}))


if __name__ == "__main__":
    main()
