"""The evaluation's measures on small hand-made cases, and a run on the dev split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from campaigns.evaluation import (
    LabelledPost,
    LabelledSetError,
    alternatives_recall,
    company_scores,
    evaluate,
    gold_company_and_unit,
    link_scores,
    load_split,
    role_scores,
)
from campaigns.linking.engine import LinkingEngine
from campaigns.linking.model import PostInput, PostLink
from tests.linking.helpers import PARLER


def labelled(key: str, role: str, demand: str | None) -> LabelledPost:
    return LabelledPost(PostInput(key=key, text=""), {"role": role, "demand": demand})


def test_role_scores_accuracy_and_macro_f1() -> None:
    scores = role_scores(
        ["demand", "demand", "other", "response"], ["demand", "other", "other", "response"]
    )
    assert scores["accuracy"] == 0.75
    per = scores["per_role"]
    assert per["demand"]["precision"] == 1.0 and per["demand"]["recall"] == 0.5
    assert per["other"]["precision"] == 0.5
    # roles absent from the gold labels are left out of the macro average
    assert scores["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1.0) / 3)


def test_link_scores_count_wrong_missing_and_spurious_links() -> None:
    items = [
        labelled("d1", "demand", "a"),
        labelled("d2", "demand", "b"),
        labelled("r1", "response", "a"),  # right
        labelled("r2", "response", "b"),  # wrong demand: FP and FN
        labelled("r3", "outcome", "a"),  # missed: FN
        labelled("o", "other", None),  # spurious link: FP
    ]

    def link(key: str, role: str, target: str | None) -> PostLink:
        return PostLink(post=PostInput(key=key, text=""), role=role, linked_post_key=target)

    links = {
        "d1": link("d1", "demand", None), "d2": link("d2", "demand", None),
        "r1": link("r1", "response", "d1"), "r2": link("r2", "response", "d1"),
        "r3": link("r3", "outcome", None), "o": link("o", "response", "d2"),
    }  # fmt: skip
    scores = link_scores(items, links)
    assert (scores["true_positives"], scores["false_positives"], scores["false_negatives"]) == (
        1,
        2,
        2,
    )
    assert scores["precision"] == pytest.approx(1 / 3) and scores["recall"] == pytest.approx(1 / 3)


def test_an_action_stating_the_demand_counts_only_in_the_second_measure() -> None:
    # demand "a" is stated by a demand post; demand "b" only by the walkout that asked for it
    items = [
        labelled("d1", "demand", "a"),
        labelled("w1", "action", "b"),
        labelled("w2", "action", "a"),  # an action of a demand that a demand post states
        labelled("r1", "response", "b"),  # linked to the walkout
        labelled("r2", "response", "a"),  # linked to the other action: wrong in both
    ]

    def link(key: str, role: str, target: str | None) -> PostLink:
        return PostLink(post=PostInput(key=key, text=""), role=role, linked_post_key=target)

    links = {
        "d1": link("d1", "demand", None), "w1": link("w1", "action", None),
        "w2": link("w2", "action", None), "r1": link("r1", "response", "w1"),
        "r2": link("r2", "response", "w2"),
    }  # fmt: skip
    strict = link_scores(items, links)
    counted = link_scores(items, links, stated_in_actions=True)
    assert (strict["true_positives"], strict["false_positives"], strict["false_negatives"]) == (
        0,
        2,
        1,
    )
    assert (counted["true_positives"], counted["false_positives"], counted["false_negatives"]) == (
        1,
        1,
        1,
    )


def test_recall_with_alternatives_counts_a_right_demand_one_pick_away() -> None:
    from campaigns.linking.grouping import DemandState
    from campaigns.linking.model import LinkRun

    items = [
        labelled("d1", "demand", "a"),
        labelled("d2", "demand", "b"),
        labelled("r1", "response", "b"),  # linked to a, b offered: counts
        labelled("r2", "outcome", "b"),  # linked to a, nothing offered: does not
    ]
    demands = {
        key: DemandState(key, "c", post, None, None, "") for key, post in (("A", "d1"), ("B", "d2"))
    }

    def answer(key: str, alternatives: list[tuple[str, float]]) -> PostLink:
        return PostLink(
            post=PostInput(key=key, text=""), role="response", linked_post_key="d1",
            alternatives=alternatives,
        )  # fmt: skip

    links = {
        "d1": PostLink(post=PostInput(key="d1", text=""), role="demand"),
        "d2": PostLink(post=PostInput(key="d2", text=""), role="demand"),
        "r1": answer("r1", [("B", 0.4)]),
        "r2": answer("r2", []),
    }
    run = LinkRun(links=list(links.values()), demands=demands)
    assert alternatives_recall(items, links, run) == pytest.approx(1 / 2)
    assert link_scores(items, links)["recall"] == 0.0


def test_a_malformed_labelled_file_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "posts_dev.jsonl").write_text(json.dumps({"platform": "x"}) + "\n")
    with pytest.raises(LabelledSetError, match=r"posts_dev.jsonl, line 1"):
        load_split("dev", tmp_path)
    with pytest.raises(LabelledSetError, match="missing"):
        load_split("test", tmp_path)


def test_evaluate_on_the_dev_split_reports_every_measure() -> None:
    report = evaluate("dev")
    posts = load_split("dev")
    assert report["posts"] == len(posts)
    for key in ("role", "company", "link", "outcome", "throughput_posts_per_s"):
        assert key in report
    assert 0.0 <= report["role"]["macro_f1"] <= 1.0
    assert report["throughput_posts_per_s"] > 0


def _labelled_parler(path: Path, *labels: dict[str, object]) -> Path:
    """The two Parler posts with the given labels, as a labelled posts file."""
    rows = [json.loads(line) for line in PARLER.read_text("utf-8").splitlines() if line]
    with path.open("w", encoding="utf-8") as handle:
        for row, label in zip(rows, labels, strict=True):
            handle.write(json.dumps({**row, "label": label}) + "\n")
    return path


PARLER_DEMAND = {
    "role": "demand", "company": "amazon", "business_unit": "AWS", "campaign": "parler",
    "demand": "parler-d1", "demand_type": "end_contract_or_customer", "tactic": None,
    "response_type": None, "outcome": None,
}  # fmt: skip
PARLER_RESPONSE = {
    **PARLER_DEMAND, "role": "response", "demand_type": None,
    "response_type": "full_concession", "outcome": "met",
}  # fmt: skip


def test_a_labelled_file_of_ones_own_is_scored_like_a_split(tmp_path: Path) -> None:
    path = _labelled_parler(tmp_path / "mine.jsonl", PARLER_DEMAND, PARLER_RESPONSE)
    report = evaluate(file=path)
    assert report["file"] == str(path) and report["split"] is None and report["posts"] == 2
    assert report["role"]["accuracy"] == 1.0
    assert report["link"]["true_positives"] == 1 and report["link"]["f1"] == 1.0
    assert report["outcome"] == {"accuracy": 1.0, "n": 1.0}
    # labelled the other way round, the same engine output scores zero
    wrong = {**PARLER_RESPONSE, "demand": "parler-d2"}
    path = _labelled_parler(tmp_path / "wrong.jsonl", PARLER_DEMAND, wrong)
    assert evaluate(file=path)["link"]["f1"] == 0.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"role": "complaint"}, r"line 2: label role 'complaint' is not one of demand, action"),
        ({"outcome": "won"}, r"line 2: label outcome 'won' is not a codebook value; use one of"),
        ({"response_type": "yes"}, r"line 2: label response_type 'yes' is not a codebook value"),
    ],
)
def test_a_bad_label_names_file_line_and_the_allowed_values(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    path = _labelled_parler(tmp_path / "mine.jsonl", PARLER_DEMAND, {**PARLER_RESPONSE, **change})
    with pytest.raises(LabelledSetError, match=rf"mine.jsonl, {message}"):
        evaluate(file=path)


def test_a_post_twice_or_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = _labelled_parler(tmp_path / "mine.jsonl", PARLER_DEMAND, PARLER_RESPONSE)
    first = path.read_text("utf-8").splitlines()[0]
    path.write_text(f"{first}\n{first}\n", encoding="utf-8")
    with pytest.raises(LabelledSetError, match=r"line 2: post x:\d+ is already on line 1"):
        evaluate(file=path)
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(LabelledSetError, match="holds no labelled posts"):
        evaluate(file=tmp_path / "empty.jsonl")
    with pytest.raises(LabelledSetError, match="missing"):
        evaluate(file=tmp_path / "nowhere.jsonl")


def test_a_subsidiary_labelled_as_itself_is_read_as_its_parent_and_unit() -> None:
    """The registry codes Postmates as a unit of Uber: a post labelled 'postmates' that the
    engine reads as Uber / Postmates is right for the company and for the company and unit."""
    engine = LinkingEngine(use_model=False)
    assert gold_company_and_unit(engine, {"company": "postmates"}) == ("uber", "Postmates")
    assert gold_company_and_unit(engine, {"company": "amazon", "business_unit": "AWS"}) == (
        "amazon",
        "AWS",
    )
    assert gold_company_and_unit(engine, {"company": "google"}) == ("google", None)
    labelled = [
        LabelledPost(
            PostInput(key="a", text="Postmates couriers log off"), {"company": "postmates"}
        ),
        LabelledPost(PostInput(key="b", text="Uber drivers strike"), {"company": "uber"}),
    ]
    links = {
        "a": PostLink(post=labelled[0].post, company="uber", business_unit="Postmates"),
        "b": PostLink(post=labelled[1].post, company="uber", business_unit="Postmates"),
    }
    scores = company_scores(engine, labelled, links)
    assert scores["company"]["accuracy"] == 1.0
    assert scores["company_and_unit"]["accuracy"] == 0.5  # Uber itself is not Postmates
