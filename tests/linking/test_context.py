"""Echo features: a post compared with the earlier posts about its company, never later ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from campaigns.linking import context
from campaigns.linking.context import NO_ECHO, echoes
from campaigns.linking.vectors import echo_matrix

DAY = timedelta(days=1)
START = datetime(2022, 1, 1, tzinfo=UTC)
DEMAND = "Drivers demand a higher per-mile rate and an end to unfair deactivations."
ANSWER = (
    "The company rejects the drivers' call for a higher per-mile rate and deactivation appeals."
)
OTHER = "Quarterly earnings beat estimates as the new phone sells out."


def test_an_answer_echoes_the_demand_before_it_and_not_the_other_way() -> None:
    matrix = echo_matrix([DEMAND, ANSWER, OTHER])
    found = echoes(
        matrix, ["uber", "uber", "uber"], [START, START + 10 * DAY, START + 11 * DAY], [0, 1, 2]
    )
    assert found[0] == NO_ECHO  # nothing came before it
    best, similar, span = found[1]
    assert best > 0.3 and similar == pytest.approx(0.2) and span > 0
    assert found[2][0] < 0.1  # unrelated news repeats nothing


def test_only_the_same_company_and_strictly_earlier_posts_count() -> None:
    matrix = echo_matrix([DEMAND, ANSWER, DEMAND])
    times = [START, START + 10 * DAY, START + 10 * DAY]
    found = echoes(matrix, ["lyft", "uber", "uber"], times, [1, 2])
    assert found[1] == NO_ECHO  # the demand was at another company; the twin is not earlier
    assert found[2] == NO_ECHO


def test_a_post_naming_no_company_is_compared_with_every_company() -> None:
    matrix = echo_matrix([DEMAND, ANSWER])
    found = echoes(matrix, ["uber", None], [START, START + DAY], [1])
    assert found[1][0] > 0.3


def test_posts_without_a_time_and_old_posts_give_no_echo() -> None:
    matrix = echo_matrix([DEMAND, ANSWER, ANSWER])
    times = [START, None, START + (context.WINDOW_DAYS + 1) * DAY]
    found = echoes(matrix, ["uber"] * 3, times, [1, 2])
    assert found == {1: NO_ECHO, 2: NO_ECHO}


def test_each_post_is_compared_with_a_bounded_number_of_earlier_posts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(context, "MAX_EARLIER", 2)
    texts = [DEMAND] * 6
    found = echoes(echo_matrix(texts), ["uber"] * 6, [START + i * DAY for i in range(6)], [5])
    assert found[5][1] == pytest.approx(2 / context.SIMILAR_CAP)
