"""A news report of the company's answer that also reports a walkout keeps the walkout: the
suggestion proposes an action beside the response, as a demand's post does since 0.11.0, and
accepting it records both with the post as evidence. A company's own post reports no action."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns.linking.engine import LinkingEngine
from campaigns.linking.suggest import link_posts
from campaigns.review import accept_all, list_suggestions
from db.models import Action, Evidence, Response
from tests.linking.helpers import insert_posts, post_input, post_row

# Amazon Employees for Climate Justice walked out on 20 September 2019, the day after Amazon's
# Climate Pledge; AWS said it would keep serving oil and gas customers
# (https://www.theverge.com/2019/9/20/20875522/amazon-climate-walkout-aws-oil-gas-customers),
# written here in our own words.
WALKOUT_AND_ANSWER = post_row(
    "1175000000000000001",
    "Amazon employees walk out over climate as AWS says it will keep its oil and gas customers. "
    "Over a thousand staff left their desks in Seattle; the company said it would go on helping "
    "energy firms move to the cloud.",
    "2019-09-20T17:25:00+00:00",
    kind="news",
    author_handle="theverge.com",
)


def test_a_response_that_reports_a_walkout_keeps_its_tactic(linker: LinkingEngine) -> None:
    (link,) = linker.run([post_input(WALKOUT_AND_ANSWER)]).links
    assert link.role == "response" and link.tactic == "walkout"
    assert any(r.startswith("also reports an action, tactic walkout") for r in link.reasons)


def test_a_companys_own_answer_reports_no_action(linker: LinkingEngine) -> None:
    row = {**WALKOUT_AND_ANSWER, "source_kind": "company", "author_handle": "amazon"}
    (link,) = linker.run([post_input(row)]).links
    assert link.role == "response" and link.tactic is None


def test_accepting_records_the_response_and_the_action(engine: Engine) -> None:
    (post_id,) = insert_posts(engine, [WALKOUT_AND_ANSWER])
    link_posts(engine)
    (row,) = list_suggestions(engine)
    assert row["proposal"]["action"]["tactic"] == "walkout"
    accept_all(engine, min_score=0.0, reviewer="human:reviewer")
    with Session(engine) as session:
        action = session.exec(select(Action)).one()
        response = session.exec(select(Response)).one()
        assert action.tactic == "walkout" and str(action.happened_on) == "2019-09-20"
        assert action.campaign_id == response.campaign_id
        evidence = session.exec(select(Evidence).where(Evidence.record_id == action.id)).one()
        assert evidence.post_id == post_id


def test_an_anniversary_of_a_walkout_reports_no_new_action(linker: LinkingEngine) -> None:
    """The Google walkout of 1 November 2018 and the end of forced arbitration in February 2019
    (https://www.nytimes.com/2019/02/21/technology/google-forced-arbitration.html), recalled
    in our own words on an anniversary."""
    row = post_row(
        "1587000000000000001",
        "Five years ago today, 20,000 of us walked out of Google offices. Within four months "
        "Google had ended forced arbitration for every employee.",
        "2023-11-01T15:00:00+00:00",
        author_handle="AlphabetWorkers",
    )
    (link,) = linker.run([post_input(row)]).links
    assert link.role in ("response", "outcome") and link.tactic is None


@pytest.mark.parametrize(
    ("text", "day", "response_type"),
    [
        # 21 February 2019 (https://www.nytimes.com/2019/02/21/technology/google-forced-
        # arbitration.html): the walkout names who asked, not a walkout that day
        (
            "Google ends forced arbitration for all employees, a key demand of the walkout "
            "organizers. The change takes effect in March.",
            "2019-02-21T18:00:00+00:00",
            "full_concession",
        ),
        # Amazon's answer to the JFK8 walkout of 30 March 2020
        (
            "Amazon fires the worker who led the Staten Island walkout, saying he broke a "
            "quarantine order.",
            "2020-03-30T22:00:00+00:00",
            "retaliation",
        ),
    ],
)
def test_the_walkout_named_for_who_led_it_is_no_new_walkout(
    linker: LinkingEngine, text: str, day: str, response_type: str
) -> None:
    """Both in our own words."""
    row = post_row("1098700000000000001", text, day, kind="news", author_handle="technewsdesk")
    (link,) = linker.run([post_input(row)]).links
    assert link.role == "response" and link.response_type == response_type
    assert link.tactic is None


# The Climate Pledge came on 19 September 2019, the day before the walkout above (same source).
CLIMATE_DEMAND = post_row(
    "1171000000000000001",
    "On September 20 Amazon tech workers will walk out to join the Global Climate Strike. We "
    "demand Amazon commit to zero emissions by 2030 and stop custom AI work for oil and gas "
    "companies.",
    "2019-09-09T16:00:00+00:00",
    author_handle="AMZNforClimate",
)
PLEDGE = post_row(
    "1174700000000000001",
    "Amazon pledges to be carbon neutral by 2040 and buys 100,000 electric vans. The "
    "announcement came a day before hundreds of its employees planned to walk out over the "
    "company's climate record.",
    "2019-09-19T15:00:00+00:00",
    kind="news",
    author_handle="reuters.com",
)


def test_a_pledge_on_the_eve_of_a_walkout_answers_the_demand(linker: LinkingEngine) -> None:
    demand, pledge = linker.run([post_input(CLIMATE_DEMAND), post_input(PLEDGE)]).links
    assert pledge.role == "response", pledge.reasons
    assert pledge.linked_post_key == demand.post.key and pledge.tactic is None
