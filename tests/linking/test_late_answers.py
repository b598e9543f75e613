"""An answer that comes years after its demand links to it whether the two are read in one run
or the demand runs earlier (suggest._context loads the demands of older campaigns too)."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from campaigns.linking.suggest import link_posts
from campaigns.review import list_suggestions
from tests.linking.helpers import insert_posts, post_row

# Amazon's Rekognition: employees' letter of June 2018 (The Hill, 2018-06-21,
# https://thehill.com/business-a-lobbying/393583-amazon-employees-protest-sale-of-facial-
# recognition-tech-to-law/) and the moratorium made indefinite in May 2021 (Reuters,
# 2021-05-18). Written here as posts.
DEMAND = post_row(
    "1009900000000000001",
    "We are Amazon employees. We demand that Amazon stop selling Rekognition facial "
    "recognition to police and law enforcement.",
    "2018-06-21T15:00:00+00:00",
    author_handle="amazonemployees",
)
ANSWER = post_row(
    "1394700000000000002",
    "Amazon extends its moratorium on police use of Rekognition, its facial recognition "
    "software, indefinitely.",
    "2021-05-18T12:00:00+00:00",
    kind="news",
    author_handle="newsdesk",
)


def _answer_links_demand(engine: Engine, demand_id: int, answer_id: int) -> None:
    suggestions = {s["post_id"]: s for s in list_suggestions(engine)}
    demand, answer = suggestions[demand_id], suggestions[answer_id]
    assert answer["role"] in ("response", "outcome")
    assert answer["campaign_id"] == demand["campaign_id"]
    assert answer["demand_id"] == demand["demand_id"]


def test_one_run_links_an_answer_three_years_on(engine: Engine) -> None:
    demand_id, answer_id = insert_posts(engine, [DEMAND, ANSWER])
    link_posts(engine)
    _answer_links_demand(engine, demand_id, answer_id)


def test_a_later_run_links_an_answer_three_years_on(engine: Engine) -> None:
    (demand_id,) = insert_posts(engine, [DEMAND])
    link_posts(engine)
    (answer_id,) = insert_posts(engine, [ANSWER])
    assert link_posts(engine).posts_read == 1
    _answer_links_demand(engine, demand_id, answer_id)
