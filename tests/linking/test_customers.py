"""Campaigns of one company against contracts with different customers stay apart (Microsoft:
the Azure contract with ICE in 2018, the HoloLens contract with the US Army in 2019), and the
customers are read from the posts' words."""

from __future__ import annotations

import pytest

from campaigns.linking.customers import named_customers
from campaigns.linking.engine import LinkingEngine
from tests.linking.helpers import dated_post


@pytest.mark.parametrize(
    ("text", "customers"),
    [
        ("Cancel the Azure contract with ICE", {"us-immigration"}),
        ("CBP and the Border Patrol", {"us-immigration"}),  # one key: named together
        ("the ice is thin", set()),  # an acronym only as written
        ("the HoloLens deal with the US Army", {"us-military"}),
        ("an army of lawyers", set()),
        ("the Israeli army's cloud", {"israel"}),  # not the US Army
        ("stop selling Rekognition to police", {"police"}),
        ("a pause on police use of Rekognition", {"police"}),
        ("Google called the police on the sit-in", set()),  # not a customer
        ("AI for oil and gas, and Palantir on AWS", {"fossil-fuel", "palantir"}),
        ("the JEDI cloud contract", {"us-military"}),
        ("Star Wars Jedi: Survivor sells well", set()),  # a game, not the Pentagon's cloud
        ("", set()),
    ],
)
def test_customers_are_read_by_name(text: str, customers: set[str]) -> None:
    assert named_customers(text) == customers


# written for this test about the public campaigns at Microsoft against the Azure contract with
# ICE (June 2018) and the HoloLens contract with the US Army (February 2019)
POSTS = [
    dated_post(
        "msw-ice", "2018-06-19", "worker_group",
        "Microsoft employees to leadership: cancel the $19.4 million Azure contract with ICE. "
        "We refuse to be complicit in separating families at the border.",
    ),
    dated_post(
        "msw-army", "2019-02-22", "worker_group",
        "Microsoft workers: we did not sign up to build weapons. Cancel the $479 million "
        "HoloLens contract with the US Army.",
    ),
    dated_post(
        "news-army", "2019-02-25", "news",
        "Microsoft CEO defends the US Army HoloLens deal, saying the company will not withhold "
        "technology from democratic governments.",
    ),
]  # fmt: skip


def test_a_contract_with_another_customer_is_another_campaign() -> None:
    links = {link.post.key: link for link in LinkingEngine().run(POSTS).links}
    ice, army, answer = links["msw-ice"], links["msw-army"], links["news-army"]
    assert ice.role == army.role == "demand"
    assert army.campaign_key not in (None, ice.campaign_key)
    assert answer.campaign_key == army.campaign_key
    assert answer.linked_post_key == "msw-army"
