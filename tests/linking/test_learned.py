"""The learned role model: fitted on the train split only, deterministic, explained."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from campaigns.linking.engine import LinkingEngine
from campaigns.linking.learned import TRAIN_FILE, RoleModel, load_examples, role_model
from campaigns.linking.model import PostInput

SAMPLES = [
    ("We demand that Google end its drone contract with the Pentagon.", "worker_group"),
    ("Google said in a statement it will not renew the contract when it expires.", "news"),
    ("Hundreds of Amazon workers walked out of the Seattle offices today.", "news"),
    ("Apple unveils a new iPhone with a faster chip and a better camera.", "news"),
    ("A year later, the demand was met: the contract ended in March.", "worker_group"),
]


def _inputs() -> list[PostInput]:
    start = datetime(2021, 1, 1, tzinfo=UTC)
    return [
        PostInput(key=f"p{i}", text=text, posted_at=start + timedelta(days=i), source_kind=kind)
        for i, (text, kind) in enumerate(SAMPLES)
    ]


def test_the_model_is_fitted_on_the_train_split_only() -> None:
    assert TRAIN_FILE.name == "posts_train.jsonl"
    assert role_model() is role_model()  # fitted once, then cached


def test_fitting_twice_gives_the_same_probabilities(linker: LinkingEngine) -> None:
    examples, roles = load_examples(TRAIN_FILE)
    probe = [linker.role_example(text.lower(), None, kind) for text, kind in SAMPLES]
    first = RoleModel().fit(examples, roles).probabilities(probe)
    second = RoleModel().fit(examples, roles).probabilities(probe)
    assert first == second
    assert all(abs(sum(p.values()) - 1.0) < 1e-4 for p in first)  # rounded to 6 places


def test_roles_from_the_model_come_with_the_models_confidence(linker: LinkingEngine) -> None:
    links = {link.post.key: link for link in linker.run(_inputs()).links}
    assert links["p0"].role == "demand"
    assert links["p3"].role == "other"
    for link in links.values():
        assert link.reasons and "model p=" in link.reasons[0]
        assert set(link.role_scores) == {"demand", "action", "response", "outcome", "other"}


def test_a_posts_reading_depends_on_the_posts_before_it_only(linker: LinkingEngine) -> None:
    posts = _inputs()  # one day apart
    batch = linker.analyse_many(posts)
    for count in range(1, len(posts) + 1):
        upto = linker.analyse_many(posts[:count])[-1]
        together = batch[count - 1]
        assert (upto.role, upto.company, upto.role_scores) == (
            together.role,
            together.company,
            together.role_scores,
        )
    alone = linker.analyse(posts[0])
    assert alone.role_scores == batch[0].role_scores


def test_a_post_that_takes_up_earlier_posts_reads_differently(linker: LinkingEngine) -> None:
    start = datetime(2021, 3, 1, tzinfo=UTC)
    demand = PostInput(
        key="d",
        text="We demand that Google end the drone imagery contract with the Pentagon.",
        posted_at=start,
        source_kind="worker_group",
    )
    answer = PostInput(
        key="a",
        text="Google tells staff the drone imagery contract with the Pentagon ends next year.",
        posted_at=start + timedelta(days=30),
        source_kind="news",
    )
    after_demand = linker.analyse_many([demand, answer])[1]
    on_its_own = linker.analyse(answer)
    assert after_demand.role_scores != on_its_own.role_scores


def test_without_the_train_file_the_rules_decide(tmp_path: Path) -> None:
    assert role_model(tmp_path / "missing.jsonl") is None
    rules = LinkingEngine(use_model=False)
    assert rules.model is None
    link = rules.analyse(_inputs()[0])
    assert link.role == "demand"
    assert "model p=" not in link.reasons[0]


def test_a_post_naming_no_company_gets_none_with_the_model(linker: LinkingEngine) -> None:
    post = PostInput(
        key="n",
        text="We demand fair pay and safe staffing. Solidarity to every worker on the line today!",
        posted_at=datetime(2022, 5, 1, tzinfo=UTC),
        source_kind="news",
    )
    assert linker.analyse(post).company is None


def test_response_and_outcome_together_outweigh_other() -> None:
    from campaigns.linking.decide import learned_decision
    from campaigns.linking.roles import RoleDecision

    rules = RoleDecision("other", 0.0)
    split = {"other": 0.4, "response": 0.3, "outcome": 0.25, "demand": 0.05, "action": 0.0}
    assert learned_decision(rules, split, "news").role == "response"
    clear = {"other": 0.6, "response": 0.2, "outcome": 0.15, "demand": 0.05, "action": 0.0}
    assert learned_decision(rules, clear, "news").role == "other"


def test_a_post_half_read_as_an_answer_is_proposed_as_one() -> None:
    """Response and outcome at 0.36 together, against a demand at 0.46: weighed by
    ANSWER_WEIGHT (1.5) they count 0.54, so the post is offered as an answer; its reasons and
    scores keep the model's own probabilities."""
    from campaigns.linking.decide import ANSWER_WEIGHT, learned_decision
    from campaigns.linking.roles import RoleDecision

    rules = RoleDecision("demand", 0.0)
    half = {"demand": 0.46, "response": 0.22, "outcome": 0.14, "action": 0.1, "other": 0.08}
    decision = learned_decision(rules, half, "worker_group")
    assert ANSWER_WEIGHT == 1.5
    assert decision.role == "response"
    assert decision.reasons[0].startswith("response (model p=0.22)")
    assert decision.scores["response"] == 1.1
    surely = {**half, "demand": 0.6, "response": 0.15, "outcome": 0.1, "action": 0.07}
    assert learned_decision(rules, surely, "worker_group").role == "demand"


def test_the_outcome_model_reads_how_a_demand_ended(linker: LinkingEngine) -> None:
    from campaigns.linking.learned import code_models

    model = code_models().outcome
    assert model is not None and code_models().outcome is model  # fitted once, with the roles
    reports = {
        "met": "Workers won: the company agreed to every demand and reinstated both organizers.",
        "not_met": "A year later nothing changed: the company kept the contract and never met "
        "the demand.",
        "partially_met": "The company agreed to some of the demands but not the pay raise; a "
        "partial win.",
    }
    examples = [
        linker.role_example(text.lower(), None, "worker_group") for text in reports.values()
    ]
    assert [value for value, _ in model.predict(examples)] == list(reports)


def test_code_models_fill_in_where_no_rule_phrase_names_the_code(linker: LinkingEngine) -> None:
    """A response type or tactic the rules find no phrase for comes from the code models, with
    the model's probability as its reason; a rule phrase, where there is one, still decides."""
    from campaigns.linking.learned import code_models

    models = code_models()
    assert models.response_type is not None and models.tactic is not None
    texts = [
        "Apple parts ways with the ads hire its employees protested. The company said such "
        "behaviour has no place at Apple.",  # no response phrase
        "Uber drivers log off across London for 24 hours over pay cuts.",  # no tactic phrase
        "Amazon says it will not cancel the contract and defends its work with the agency.",
    ]
    posts = [
        PostInput(
            key=str(number),
            text=text,
            posted_at=datetime(2020, 1, 1 + number, tzinfo=UTC),
            platform="feed",
            author_handle="news.example.org",
            url=f"https://news.example.org/{number}",
            source_kind="news",
        )
        for number, text in enumerate(texts)
    ]
    parted, logged_off, refused = linker.analyse_many(posts)
    examples = [linker.role_example(text.lower(), "news.example.org", "news") for text in texts]

    assert parted.role == "response"
    expected, p = models.response_type.predict(examples[:1])[0]
    assert parted.response_type == expected
    assert f"response {expected} (model p={p:.2f})" in parted.reasons

    assert logged_off.role == "action"
    expected, p = models.tactic.predict(examples[1:2])[0]
    assert logged_off.tactic == expected
    assert f"tactic {expected} (model p={p:.2f})" in logged_off.reasons

    assert refused.response_type == "reject"  # the rules' phrase, not the model
    assert "response reject: will not cancel, defends" in refused.reasons
