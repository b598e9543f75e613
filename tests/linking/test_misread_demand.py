"""An answer before anything was asked is more likely the campaign's demand misread: when a
response finds no demand in its campaign, an earlier post read as an answer, with asking its
next likeliest reading, is read as the demand (stating.demand_misread)."""

from __future__ import annotations

from datetime import UTC, datetime

from campaigns.linking.decide import MISREAD_DEMAND, asking_is_next
from campaigns.linking.engine import LinkingEngine
from campaigns.linking.model import PostInput


def post(key: str, text: str, when: datetime, kind: str = "worker_group") -> PostInput:
    return PostInput(
        key=key, text=text, posted_at=when, source_kind=kind, url=f"https://example.org/{key}"
    )


# No Tech for Apartheid and Google's Project Nimbus (letter of October 2021); written for this
# test. The worker post looks back ("three years since", "still running") before it asks.
LOOK_BACK = post(
    "look-back",
    "Three years since the first letter and Nimbus is still running. Google, end the contract.",
    datetime(2024, 10, 12, tzinfo=UTC),
)
ANSWER = post(
    "answer",
    "Google says it will keep the Nimbus contract and that the work is not aimed at weapons.",
    datetime(2024, 10, 15, tzinfo=UTC),
    "news",
)
LETTER = post(
    "letter",
    "We are Google and Amazon workers. We demand that our employers pull out of Project Nimbus "
    "and cut all ties with the Israeli military.",
    datetime(2021, 10, 12, tzinfo=UTC),
)


def test_a_look_back_that_asks_states_the_demand_the_answer_takes_up() -> None:
    links = {link.post.key: link for link in LinkingEngine().run([LOOK_BACK, ANSWER]).links}
    asked, answer = links["look-back"], links["answer"]
    assert asked.role == "demand"
    assert asked.outcome is None and asked.response_type is None
    assert asked.demand_key is not None and asked.new_demand
    assert asked.reasons[0].startswith("demand (model p=")
    assert "its second reading" in asked.reasons[0]
    assert asked.role_score == asked.role_scores["demand"]  # its score is the demand reading's
    # scored as a demand: no longer lowered as an answer that found nothing to link
    assert asked.score == round(0.4 * asked.role_score / 5 + 0.2 * asked.group_score + 0.4, 3)
    assert answer.role == "response"
    assert answer.campaign_key == asked.campaign_key
    assert answer.linked_post_key == "look-back"


def test_a_campaign_that_has_its_demand_keeps_the_look_back_as_it_reads() -> None:
    links = {link.post.key: link for link in LinkingEngine().run([LETTER, LOOK_BACK, ANSWER]).links}
    assert links["letter"].role == "demand"
    assert links["look-back"].role in ("response", "outcome")
    assert links["answer"].linked_post_key == "letter"


def test_asking_must_be_the_next_reading_after_an_answer() -> None:
    weak = MISREAD_DEMAND - 0.1
    assert asking_is_next({"outcome": 4.0, "demand": 0.9, "response": 0.1})
    assert not asking_is_next({"outcome": 4.0, "demand": weak, "response": 0.1})
    assert not asking_is_next({"outcome": 4.0, "response": 0.9, "demand": 0.8})
    # an answer only by the weight of response and outcome together: "other" read first
    assert not asking_is_next({"other": 1.7, "demand": 1.4, "response": 1.0, "outcome": 0.7})


# Uber and the UK Supreme Court, February and March 2021; written for this test. The news of the
# ruling reads as an outcome, but it says what the unions now ask of Uber.
RULING = post(
    "ruling",
    "Uber has lost its final appeal at the UK Supreme Court, which ruled its drivers are "
    "workers. Driver unions are now calling on the company to give every driver the minimum "
    "wage and holiday pay, counted for all the time they are logged on.",
    datetime(2021, 2, 19, tzinfo=UTC),
    "news",
)
PAY_NEWS = post(
    "pay-news",
    "Uber says 70,000 UK drivers will get at least the minimum wage, holiday pay and a pension, "
    "but only from the moment they accept a trip, not while logged on waiting.",
    datetime(2021, 3, 17, tzinfo=UTC),
    "news",
)


def test_an_answer_that_asks_in_so_many_words_states_the_demand() -> None:
    ruling, answer = LinkingEngine().run([RULING, PAY_NEWS]).links
    assert ruling.role == "demand" and ruling.demand_key
    assert ruling.reasons[0].startswith("demand (it asks: 'calling on')")
    assert answer.role in ("response", "outcome")
    assert answer.linked_post_key == "ruling"


def test_a_company_post_that_asks_states_no_demand() -> None:
    text = RULING.text.replace("Driver unions are", "We are")
    own = post("own", text, RULING.posted_at, "company")
    ruling, answer = LinkingEngine().run([own, PAY_NEWS]).links
    assert ruling.role != "demand" and answer.linked_post_key is None


def test_a_post_saying_the_demand_was_won_is_no_misread_demand() -> None:
    # Kickstarter United's vote (February 2020), written for this test: the union's post says it
    # won, the company's reply answers it; the win is not read as the demand the reply answers
    win = post(
        "win",
        "Kickstarter staff have a union! Kickstarter United won the vote 46-37.",
        datetime(2020, 2, 18, 20, tzinfo=UTC),
    )
    reply = PostInput(
        key="reply",
        text="Congratulations, and thank you for organizing. We look forward to bargaining.",
        posted_at=datetime(2020, 2, 18, 21, tzinfo=UTC),
        source_kind="company",
        author_handle="kickstarter",
        reply_to_url="https://example.org/win",
    )
    links = {link.post.key: link for link in LinkingEngine().run([win, reply]).links}
    assert links["win"].role == "outcome"
    assert links["win"].outcome == "met"
    assert not links["win"].reasons[0].startswith("demand")
