"""The must-show: the Parler posts become one campaign at Amazon (AWS), one demand, a full
concession linked to it, outcome met; accepting writes the records with the posts as evidence.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns.linking.engine import ENGINE_VERSION, LinkingEngine
from campaigns.linking.model import PostInput, PostLink
from campaigns.linking.suggest import link_posts
from campaigns.review import accept_all, list_suggestions, proposal_summary
from db.models import AuditEntry, Campaign, Company, Demand, Evidence, Response, ResponseDemand
from tests.linking.helpers import PARLER, insert_posts, read_jsonl


def test_parler_posts_give_one_campaign_demand_response_and_outcome(engine: Engine) -> None:
    demand_post, news_post = insert_posts(engine, read_jsonl(PARLER))
    summary = link_posts(engine)
    assert summary.posts_read == 2
    suggestions = {s["post_id"]: s for s in list_suggestions(engine)}
    assert set(suggestions) == {demand_post, news_post}
    demand, response = suggestions[demand_post], suggestions[news_post]

    assert demand["role"] == "demand"
    assert response["role"] == "response"
    assert demand["campaign_id"] == response["campaign_id"]
    assert demand["proposal"]["company"] == "amazon"
    assert demand["proposal"]["business_unit"] == "AWS"
    assert demand["proposal"]["demand"]["demand_type"] == "end_contract_or_customer"
    assert response["proposal"]["response"]["response_type"] == "full_concession"
    assert response["demand_id"] == demand["demand_id"]
    assert response["proposal"]["outcome"]["value"] == "met"
    assert any("Parler" in r or "parler" in r for r in response["reasons"])

    accept_all(engine, min_score=0.0, reviewer="human:reviewer")
    with Session(engine) as session:
        campaigns = session.exec(select(Campaign)).all()
        assert len(campaigns) == 1
        campaign = campaigns[0]
        amazon = session.exec(select(Company).where(Company.slug == "amazon")).one()
        assert campaign.company_id == amazon.id and campaign.business_unit == "AWS"
        assert campaign.coded_by == f"engine:{ENGINE_VERSION}"
        assert campaign.review_status == "confirmed"
        stored_demand = session.exec(select(Demand)).one()
        assert stored_demand.demand_type == "end_contract_or_customer"
        assert stored_demand.outcome == "met"
        assert str(stored_demand.outcome_on) == "2021-01-10"
        stored_response = session.exec(select(Response)).one()
        assert stored_response.response_type == "full_concession"
        assert session.get(ResponseDemand, (stored_response.id, stored_demand.id)) is not None
        evidence = session.exec(select(Evidence)).all()
        by_record = {(e.record_type, e.post_id) for e in evidence}
        assert ("demand", demand_post) in by_record
        assert ("response", news_post) in by_record
        assert ("demand", news_post) in by_record  # the outcome's evidence
        actors = {a.actor for a in session.exec(select(AuditEntry)).all()}
        assert actors == {"human:reviewer"}


# The same two posts as other people write them: the group's ask in other words, on other
# platforms, and news that says "cut off", "drops", "kicking off" or "pull from" for the suspension.
PARLER_DEMANDS = (
    (
        "x",
        "We call on Amazon to stop hosting Parler on AWS. It is being used to organize "
        "violence after the Capitol attack.",
    ),
    (
        "bluesky",
        "Amazon Web Services must cut off Parler. The app is full of calls for violence "
        "and breaks AWS's own terms of service.",
    ),
    (
        "mastodon",
        "Tech workers at Amazon: our cloud is powering Parler while it spreads "
        "incitement. We demand AWS end its contract with Parler.",
    ),
)
PARLER_NEWS = (
    "Parler goes dark as Amazon cuts off hosting. Amazon Web Services suspended the site, citing "
    "repeated violations of its rules against violent content.",
    "Amazon drops Parler from its cloud, as employees had asked. AWS said it cannot provide "
    "services to a customer that cannot identify and remove content that encourages violence.",
    "Amazon is kicking Parler off its web hosting service. In an email, AWS said it had seen a "
    "steady increase in violent content on the site.",
    "Amazon to pull Parler from its servers, after Apple and Google drop the app. The social "
    "network will be offline Sunday night unless it finds a new host.",
    "Amazon has cut off Parler, removing the app from AWS after workers demanded it.",
    "Parler is offline after Amazon Web Services pulled its hosting.",
    # the failure is the site's, not the workers': the outcome follows AWS's concession
    "AWS will suspend Parler's account, Amazon says, after the site failed to remove violent "
    "posts.",
    "Parler is shut down after Amazon Web Services ends its hosting contract.",
    "Parler will go offline after Amazon said it would stop hosting the social network on its "
    "web services.",
)


def read_pair(
    linker: LinkingEngine,
    demand: str,
    news: str,
    *,
    platform: str = "x",
    kinds: tuple[str | None, str | None] = ("worker_group", "news"),
    site: str = "reuters.com",
) -> tuple[PostLink, PostLink]:
    """The group's post and the news of the suspension a night later, read in one run; the
    demand is checked here (the Parler must-show), the news is the caller's."""
    posts = [
        PostInput(
            key="ask",
            text=demand,
            posted_at=datetime(2021, 1, 9, 18, tzinfo=UTC),
            platform=platform,
            author_handle="aecj",
            source_kind=kinds[0],
        ),
        PostInput(
            key="news",
            text=news,
            posted_at=datetime(2021, 1, 10, 2, tzinfo=UTC),
            platform="feed",
            author_handle=site,
            source_kind=kinds[1],
        ),
    ]
    ask, report = linker.run(posts).links
    assert (ask.role, ask.company, ask.business_unit) == ("demand", "amazon", "AWS")
    assert ask.demand_type == "end_contract_or_customer"
    assert (report.role, report.company) == ("response", "amazon")
    assert (report.response_type, report.outcome) == ("full_concession", "met")
    assert (report.campaign_key, report.linked_post_key) == (ask.campaign_key, "ask")
    return ask, report


@pytest.mark.parametrize("news", PARLER_NEWS)
@pytest.mark.parametrize(("platform", "demand"), PARLER_DEMANDS)
def test_parler_in_other_words_reads_the_same(
    linker: LinkingEngine, platform: str, demand: str, news: str
) -> None:
    read_pair(linker, demand, news, platform=platform)


@pytest.mark.parametrize("news", PARLER_NEWS)
def test_parler_imported_without_source_kinds_reads_the_same(
    linker: LinkingEngine, news: str
) -> None:
    """An import need not say who speaks: the news is a feed entry of a site (its handle the
    site), read as news; the group's post reads as a demand by its words."""
    _, report = read_pair(
        linker, PARLER_DEMANDS[0][1], news, kinds=(None, None), site="news.example.org"
    )
    assert "read as news: a feed entry of news.example.org" in report.reasons


def test_an_outcome_report_of_the_suspension_records_the_response_too(engine: Engine) -> None:
    """News that reads as the campaign's outcome ("a win for the workers") says how the company
    gave way: accepting it records the full concession, linked to the demand, as well as the
    outcome; a later report of the same win is more evidence of that response, not another."""
    rows = read_jsonl(PARLER)
    rows[1]["text"] = (
        "Amazon Web Services has stopped hosting Parler, a win for the workers who asked for it."
    )
    later = dict(rows[1], posted_at="2021-03-01T09:00:00+00:00")
    later["platform_post_id"] = later["url"] = "https://news.example.org/2021/03/01/parler-win"
    later["text"] = "Weeks on, AWS has stopped hosting Parler for good: a win for Amazon's workers."
    demand_post, news_post, later_post = insert_posts(engine, [*rows, later])
    link_posts(engine)
    suggestions = {s["post_id"]: s for s in list_suggestions(engine)}
    report = suggestions[news_post]
    assert report["role"] == "outcome"
    assert report["demand_id"] == suggestions[demand_post]["demand_id"]
    assert report["proposal"]["response"]["response_type"] == "full_concession"
    assert report["proposal"]["outcome"]["value"] == "met"
    assert "Response: full_concession" in proposal_summary(report["proposal"])

    accept_all(engine, min_score=0.0, reviewer="human:reviewer")
    with Session(engine) as session:
        stored_demand = session.exec(select(Demand)).one()
        assert stored_demand.outcome == "met"
        stored_response = session.exec(select(Response)).one()
        assert stored_response.response_type == "full_concession"
        assert str(stored_response.responded_on) == "2021-01-10"
        assert session.get(ResponseDemand, (stored_response.id, stored_demand.id)) is not None
        evidence = {(e.record_type, e.post_id) for e in session.exec(select(Evidence)).all()}
        assert ("response", news_post) in evidence
        assert ("response", later_post) in evidence


def test_hosting_at_amazon_is_aws_s_work(linker: LinkingEngine) -> None:
    """Neither post names AWS, but hosting is AWS's work at Amazon: the campaign is at AWS."""
    ask, report = read_pair(
        linker,
        "Amazon must stop hosting Parler until it removes the posts inciting violence.",
        "Amazon suspends Parler from its web hosting service, saying the site failed to remove "
        "violent content.",
    )
    assert "business unit AWS: 'hosting' is its work" in ask.reasons
    assert report.business_unit == "AWS"
