"""Score the engine on the unseen-campaign sets (tests/data/linking/unseen/): 48 campaigns that
none of train, dev and test holds, written and labelled in three separate passes, each judging
the roles for itself (as another team's labelled set would). Nothing was tuned on them before
they were written; they are a check of how the engine does on campaigns and labelling it has
not seen, beside the held-out test split.

    .venv/bin/python scripts/unseen_eval.py

Prints each set's figures and the link counts pooled over the three (each set is run on its
own, as one import).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from campaigns.evaluation import LABELLED_DIR, evaluate

UNSEEN_DIR = LABELLED_DIR / "unseen"


def main() -> None:
    true_positives = false_positives = false_negatives = 0
    for path in sorted(UNSEEN_DIR.glob("posts_*.jsonl")):
        report = evaluate(file=path)
        link = report["link"]
        true_positives += int(link["true_positives"])
        false_positives += int(link["false_positives"])
        false_negatives += int(link["false_negatives"])
        print(
            f"{path.name}: {report['posts']} posts, role macro-F1 {report['role']['macro_f1']:.3f}, "
            f"company {report['company']['accuracy']:.3f}, link F1 {link['f1']:.3f}, "
            f"grouping {report['campaign_grouping_bcubed']['f1']:.3f}, "
            f"outcome {report['outcome']['accuracy']:.3f} (n={report['outcome']['n']:.0f})"
        )
    precision = true_positives / max(true_positives + false_positives, 1)
    recall = true_positives / max(true_positives + false_negatives, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(
        f"pooled link: precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f} "
        f"(TP {true_positives}, FP {false_positives}, FN {false_negatives})"
    )


if __name__ == "__main__":
    main()
