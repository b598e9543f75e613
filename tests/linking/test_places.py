"""Campaigns of one company in two countries stay apart (Tesla: the Swedish mechanics' strike,
then the works council at the German plant), and the countries are read from the posts' words."""

from __future__ import annotations

import pytest

from campaigns.linking.engine import LinkingEngine
from campaigns.linking.places import place_countries
from tests.linking.helpers import dated_post


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        ("Tesla mechanics in Sweden walk out", {"SE"}),
        ("Swedish dockworkers join in", {"SE"}),
        ("IG Metall in Deutschland", {"DE"}),
        ("drivers in New Mexico and Texas", {"US"}),  # not Mexico
        ("riders across Latin America", set()),  # a region, not the United States
        ("U.S. and UK staff", {"US", "GB"}),
        ("a warehouse in Georgia", set()),  # the state or the country: no guess
        ("Grünheide-Werkschef erteilt Tarifvertrag eine Absage", set()),
        ("the New York Times and the Irish Times report", set()),  # mastheads
        ("", set()),
    ],
)
def test_countries_are_read_by_name_and_demonym(text: str, countries: set[str]) -> None:
    assert place_countries(text) == countries


# written for this test about the public IF Metall strike (Sweden, from October 2023) and the
# IG Metall works council vote at Tesla's Grünheide plant (Germany, March 2024)
POSTS = [
    dated_post(
        "ifm-demand", "2023-10-27", "worker_group",
        "Tesla mechanics in Sweden are on strike from today. We want Tesla to sign a collective "
        "agreement with IF Metall, like every other workshop here.",
    ),
    dated_post(
        "ifm-news", "2023-11-20", "news",
        "Swedish dockworkers stop unloading Teslas in support of the IF Metall strike for a "
        "collective agreement.",
    ),
    dated_post(
        "igm-action", "2023-12-05", "worker_group",
        "Tesla workers in Germany: the works council election at the plant is coming. Vote IG "
        "Metall for a collective agreement and safer shifts.",
    ),
]  # fmt: skip


def test_a_campaign_in_another_country_starts_its_own() -> None:
    links = {link.post.key: link for link in LinkingEngine().run(POSTS).links}
    strike, germany = links["ifm-demand"], links["igm-action"]
    assert links["ifm-news"].campaign_key == strike.campaign_key
    assert germany.company == "tesla"
    assert germany.campaign_key not in (None, strike.campaign_key)
    assert germany.new_campaign
