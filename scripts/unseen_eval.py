"""Score the engine on the unseen-campaign sets (tests/data/linking/unseen/, see its README):
campaigns that none of train, dev and test holds, each set written and labelled in a separate
pass, each judging the roles for itself (as another team's labelled set would).

    .venv/bin/python scripts/unseen_eval.py

Sets a, b and c (48 campaigns) were looked at beside the train cross-validation and dev while
engines 0.11.0 and 0.12.0 were built; their link counts are pooled. Set d (20 campaigns) was written after
that and is held out like the test split: score it to report, never to choose a change.
Sets e and f (17 and 18 campaigns) were written in December 2026 after engine 0.20.0: e is looked
at like a, b and c (printed on its own), f is held out like d. Set g (9 campaigns) was written
after engine 0.25.0 and is looked at like e.
Each set is run on its own, as one import.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from campaigns.evaluation import LABELLED_DIR, evaluate

UNSEEN_DIR = LABELLED_DIR / "unseen"
HELD_OUT = ("posts_d.jsonl", "posts_f.jsonl")
POOLED = ("posts_a.jsonl", "posts_b.jsonl", "posts_c.jsonl")


def _line(name: str, report: dict) -> str:
    link = report["link"]
    return (
        f"{name}: {report['posts']} posts, role macro-F1 {report['role']['macro_f1']:.3f}, "
        f"company {report['company']['accuracy']:.3f}, link F1 {link['f1']:.3f} "
        f"(TP {link['true_positives']:.0f}, FP {link['false_positives']:.0f}, "
        f"FN {link['false_negatives']:.0f}), grouping {report['campaign_grouping_bcubed']['f1']:.3f}, "
        f"outcome {report['outcome']['accuracy']:.3f} (n={report['outcome']['n']:.0f}), "
        f"tactic {report['tactic']['accuracy']:.3f}"
    )


def main() -> None:
    counts = [0, 0, 0]
    for path in sorted(UNSEEN_DIR.glob("posts_*.jsonl")):
        report = evaluate(file=path)
        held_out = path.name in HELD_OUT
        print(_line(path.name + (" (held out)" if held_out else ""), report))
        if path.name in POOLED:
            link = report["link"]
            for i, key in enumerate(("true_positives", "false_positives", "false_negatives")):
                counts[i] += int(link[key])
    tp, fp, fn = counts
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(
        f"pooled link over a, b and c: precision {precision:.3f}, recall {recall:.3f}, "
        f"F1 {f1:.3f} (TP {tp}, FP {fp}, FN {fn})"
    )


if __name__ == "__main__":
    main()
