"""A union drive at a second site of a company is a campaign of its own (Bessemer, then JFK8)."""

from __future__ import annotations

from campaigns.linking.companies import site_codes
from campaigns.linking.engine import LinkingEngine
from tests.linking.helpers import dated_post

# written for this test about the public Bessemer (2020-21) and Staten Island (2021-22) votes
POSTS = [
    dated_post(
        "bhm-demand", "2020-11-20", "worker_group",
        "Amazon workers at BHM1 in Bessemer, Alabama have filed for a union election with the "
        "RWDSU. We want to be treated with respect.",
    ),
    dated_post(
        "bhm-vote", "2021-04-09", "news",
        "Amazon workers in Bessemer vote against forming a union, 1,798 to 738.",
    ),
    dated_post(
        "alu-demand", "2021-12-22", "worker_group",
        "The Amazon Labor Union has filed for an election at JFK8 on Staten Island. We want $30 "
        "an hour and longer breaks.",
    ),
    dated_post(
        "alu-vote", "2022-04-01", "news",
        "Amazon workers at JFK8 in Staten Island vote to form the company's first U.S. union, "
        "2,654 to 2,131.",
    ),
]  # fmt: skip


def test_site_codes_are_read_from_the_text() -> None:
    assert site_codes("walkouts at DCH1 and DIL3 today") == {"DCH1", "DIL3"}
    assert site_codes("the new GPU4 and a CPU2") == frozenset()


def test_a_second_site_s_union_drive_starts_its_own_campaign() -> None:
    links = {link.post.key: link for link in LinkingEngine().run(POSTS).links}
    bessemer, staten_island = links["bhm-demand"], links["alu-demand"]
    assert staten_island.new_campaign
    assert staten_island.campaign_key != bessemer.campaign_key
    assert links["bhm-vote"].campaign_key == bessemer.campaign_key
    assert links["bhm-vote"].outcome == "not_met"
    assert links["alu-vote"].campaign_key == staten_island.campaign_key
    assert links["alu-vote"].linked_post_key == "alu-demand"
    assert links["alu-vote"].outcome == "met"
    # a union drive asks for recognition, whatever else it names
    assert bessemer.demand_type == staten_island.demand_type == "recognition"


def test_a_post_naming_a_site_of_the_campaign_joins_it() -> None:
    later = dated_post(
        "alu-rally", "2022-01-10", "worker_group",
        "Rally outside JFK8 today: we filed, now we want the vote scheduled. Amazon Labor Union.",
    )  # fmt: skip
    links = {link.post.key: link for link in LinkingEngine().run([*POSTS, later]).links}
    assert links["alu-rally"].campaign_key == links["alu-demand"].campaign_key
