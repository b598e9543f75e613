"""A worker group's post that opens by claiming a win reports how its demand ended, however much
of the demand it repeats; the learned model, reading "recognise our union" from a worker group,
had taken such posts for new demands."""

from __future__ import annotations

import pytest

from campaigns.linking.engine import LinkingEngine
from campaigns.linking.roles import claimed_win
from tests.linking.helpers import post_input, post_row

# ZeniMax Workers United-CWA: QA testers at ZeniMax (Microsoft) launched their union in
# December 2022 and Microsoft recognised it on 3 January 2023 under its labour principles
# (https://www.vgchartz.com/article/455887/qa-workers-at-microsofts-zenimax-vote-to-form-union-microsoft-recognizes-union/),
# written here in our own words.
DEMAND = post_row(
    "1600000000000000001",
    "ZeniMax QA testers have filed for our union, ZeniMax Workers United-CWA. We ask Microsoft "
    "to recognize our union and honour its neutrality agreement.",
    "2022-12-05T15:00:00+00:00",
    author_handle="ZeniMaxWU",
)
WON = post_row(
    "1600000000000000002",
    "WE WON! Microsoft has agreed to recognize our union, ZeniMax Workers United-CWA, and to "
    "bargain with us.",
    "2023-01-03T18:00:00+00:00",
    author_handle="ZeniMaxWU",
)


def test_a_claimed_win_is_the_outcome_of_the_demand(linker: LinkingEngine) -> None:
    demand, won = linker.run([post_input(DEMAND), post_input(WON)]).links
    assert demand.role == "demand"
    assert won.role == "outcome" and won.outcome == "met"
    assert won.linked_post_key == demand.post.key


def test_a_claimed_win_is_an_outcome_where_the_model_reads_a_demand(
    linker: LinkingEngine,
) -> None:
    """On its own the post reads to the model as a demand (p > 0.9)."""
    (won,) = linker.run([post_input(WON)]).links
    assert won.role_scores["demand"] > 4.5
    assert won.role == "outcome" and won.outcome == "met"
    assert any("opens by claiming a win, 'we won'" in reason for reason in won.reasons)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("WE WON!! Microsoft has agreed to recognize our union.", "we won"),
        ("🎉 Victory: Google will end forced arbitration.", "victory"),
        ("Huge win! Kickstarter recognised the union", "huge win"),
        ("91 to 26. We won. Sega of America has a union.", "we won"),
        ("We won't stop until Amazon drops Palantir", None),
        ("Victory is within reach: sign the petition", None),
        ("If we win this vote, Apple must bargain", None),
        ("Amazon workers say that after two long years of organizing we won", None),
        ("They did it. AWS is pulling the plug on Parler tonight.", "they did it"),
        ("They did it again: another organizer fired.", None),
    ],
)
def test_only_an_opening_claim_counts(text: str, phrase: str | None) -> None:
    assert claimed_win(text.lower()) == phrase


def test_a_company_claiming_a_win_is_not_reporting_an_outcome(linker: LinkingEngine) -> None:
    post = post_row(
        "1600000000000000003",
        "Victory for our customers: ZeniMax asks players to pre-order the new Elder Scrolls.",
        "2023-01-04T18:00:00+00:00",
        kind="company",
        author_handle="ZeniMax",
    )
    (link,) = linker.run([post_input(post)]).links
    assert link.role != "outcome"


def test_they_did_it_from_the_group_is_the_outcome_of_its_demand(linker: LinkingEngine) -> None:
    """Amazon Employees for Climate Justice and Parler, January 2021, written here."""
    asked = post_row(
        "1347000000000000001",
        "Amazon must stop hosting Parler on AWS. It is being used to plan violence.",
        "2021-01-09T18:00:00+00:00",
        author_handle="AMZNforClimate",
    )
    done = post_row(
        "1347000000000000002",
        "They did it. AWS is pulling the plug on Parler tonight.",
        "2021-01-10T02:00:00+00:00",
        author_handle="AMZNforClimate",
    )
    demand, outcome = linker.run([post_input(asked), post_input(done)]).links
    assert demand.role == "demand"
    assert outcome.role == "outcome" and outcome.outcome == "met"
    assert outcome.linked_post_key == demand.post.key
