"""Words for the same subject meet: a demand to reinstate the fired and the news of the
dismissals share no word, but both speak of firings (vectors.CONCEPT_WORDS)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from campaigns.linking.engine import LinkingEngine
from campaigns.linking.model import PostInput
from campaigns.linking.vectors import concept_terms, cosine, shared_concepts, vectorize


def at(day: int) -> datetime:
    return datetime(2023, 2, 14, tzinfo=UTC) + timedelta(days=day)


def post(key: str, text: str, day: int, kind: str = "worker_group") -> PostInput:
    return PostInput(
        key=key, text=text, posted_at=at(day), source_kind=kind,
        url=f"https://example.org/{key}",
    )  # fmt: skip


# Tesla's Buffalo Autopilot office, February 2023 (Workers United); written for this test
BUFFALO = [
    post(
        "union",
        "Today our organizing committee told Tesla management we are forming Tesla Workers "
        "United in Buffalo. We want fair pay, job security and an end to keystroke tracking.",
        0,
    ),
    post(
        "rehire",
        "Tesla walked more than 30 of us out of the Buffalo office yesterday, one day after we "
        "went public. Reinstate every one of them now.",
        2,
    ),
    post(
        "answer",
        "Tesla says the dismissals in Buffalo followed routine performance reviews carried out "
        "last year.",
        5,
        "news",
    ),
]


def test_words_of_one_subject_share_a_term() -> None:
    vocabulary: dict[str, int] = {}
    reinstate, dismissals, keystrokes = vectorize(
        [
            "Reinstate every one of them now.",
            "The dismissals followed performance reviews.",
            "An end to keystroke tracking.",
        ],
        vocabulary=vocabulary,
    )
    assert cosine(reinstate, dismissals) > 0
    assert cosine(reinstate, keystrokes) == 0
    assert shared_concepts(reinstate, dismissals, concept_terms(vocabulary)) == ["firings"]


def test_the_news_of_the_dismissals_answers_the_demand_to_reinstate() -> None:
    links = {link.post.key: link for link in LinkingEngine().run(BUFFALO).links}
    answer = links["answer"]
    assert answer.role in ("response", "outcome")
    assert answer.campaign_key == links["rehire"].campaign_key == links["union"].campaign_key
    assert answer.linked_post_key == "rehire"
    assert "both speak of firings" in answer.reasons
