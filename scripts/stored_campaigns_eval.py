"""How posts meet the campaigns already in a store: the demo's campaigns in a fresh SQLite
store, the posts of dev and the unseen sets a, b, c and e imported and linked over them.

    .venv/bin/python scripts/stored_campaigns_eval.py [-v]

Prints how many posts of a labelled campaign that is one of the demo's joined that stored
campaign (and how many did not), and how many posts of other campaigns, or of none, joined a
stored campaign. Which labelled campaigns are the demo's is read by hand (``SAME``). With -v it
lists the posts placed wrongly. Test and the held-out sets d and f are not read.
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from campaigns.linking.suggest import link_posts
from campaigns.post_imports import import_posts_file
from campaigns.review import list_suggestions
from campaigns.store import DEMO_CSV, load_demo, open_store

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "linking"
FILES = [LABELLED / "posts_dev.jsonl"] + [LABELLED / "unseen" / f"posts_{k}.jsonl" for k in "abce"]
# the demo campaign each labelled campaign is (the same workers, demands and time)
SAME = {
    "activision-qa-union-2024": {"ub-activision-qa-united", "ua-activision-qa-united-2024"},
    "wayfair-walkout-2019": {"d-wayfair-detention"},
    "google-maven-2018": {"d-google-maven"},
    "raven-qa-2021": {"d-raven-qa"},
    "zenimax-qa-2022": {"d-zenimax-qa"},
    "kickstarter-union-2019": {"d-kickstarter-union"},
    "microsoft-ice-2018": {"d-microsoft-ice"},
    "github-ice-2019": {"d-github-ice"},
    "google-walkout-2018": {"d-google-walkout"},
    "twitter-severance-2023": {"d-twitter-layoffs"},
    "amazon-rto-2023": {"d-amazon-rto"},
    "aecj-climate-2019": {"d-amazon-climate-walkout", "d-amazon-climate-resolution"},
    "riot-walkout-2019": {"d-riot-arbitration"},
    "netflix-trans-walkout-2021": {"d-netflix-walkout"},
    "google-dragonfly-2018": {"d-google-dragonfly"},
    "abk-walkout-2021": {"d-abk-walkout"},
    "microsoft-hololens-2019": {"d-microsoft-ivas"},
    "amazon-rekognition-2018": {"d-amazon-rekognition"},
    "salesforce-cbp-2018": {"d-salesforce-cbp"},
}


def main(verbose: bool) -> None:
    demo = {row["campaign_id"] for row in csv.DictReader(DEMO_CSV.open(encoding="utf-8"))}
    stored_for = {gold: stored for stored, golds in SAME.items() for gold in golds}
    with tempfile.TemporaryDirectory() as folder:
        engine = open_store(f"sqlite:///{folder}/store.db")
        load_demo(engine)
        labels, posts = {}, Path(folder) / "posts.jsonl"
        with posts.open("w", encoding="utf-8") as out:
            for path in FILES:
                for line in path.read_text(encoding="utf-8").splitlines():
                    post = json.loads(line)
                    labels[post["url"]] = post.pop("label")
                    post.pop("source", None)
                    out.write(json.dumps(post) + "\n")
        import_posts_file(engine, posts)
        link_posts(engine)
        placed = {s["post_url"]: s for s in list_suggestions(engine, limit=None)}
        engine.dispose()
    right = missed = joined_other = joined_none = 0
    wrong = []
    for url, label in labels.items():
        suggestion = placed.get(url)
        campaign = suggestion["campaign_id"] if suggestion else None
        want = stored_for.get(label.get("campaign") or "")
        if want:
            right += campaign == want
            missed += campaign != want
        elif campaign in demo:
            joined_other += bool(label.get("campaign"))
            joined_none += not label.get("campaign")
        else:
            continue
        if campaign != want:
            wrong.append(
                f"{label.get('campaign')} -> {campaign}: {(suggestion or {}).get('post_text', '')[:70]}"
            )
    print(
        f"posts of the demo's campaigns: {right} joined them, {missed} did not; posts of other "
        f"campaigns that joined one: {joined_other}; posts of no campaign that joined one: "
        f"{joined_none}"
    )
    if verbose:
        print("\n".join(sorted(wrong)))


if __name__ == "__main__":
    main("-v" in sys.argv)
