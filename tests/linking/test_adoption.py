"""A demand post that names no company joins the campaign that forms after it (engine._adopt),
whether the posts are linked in one run or the demand a run before the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from campaigns.linking import engine as engine_module
from campaigns.linking.engine import LinkingEngine
from campaigns.linking.grouping import CampaignState
from campaigns.linking.model import PostInput, PostLink
from campaigns.linking.suggest import link_posts
from campaigns.review import list_suggestions
from db.models import LinkedPost
from tests.linking.helpers import insert_posts, post_input, post_row

# Hootsuite and its ICE contract, September 2020 (reported by the CBC, 2020-09-24:
# https://www.cbc.ca/news/canada/british-columbia/hootsuite-ice-contract-1.5736937)
UNNAMED_DEMAND = post_row(
    "1308500000000000001",
    "Our company signed a three-year contract with ICE this month. More than 100 of us "
    "have objected internally since June. We are asking leadership to cancel the ICE "
    "contract now.",
    "2020-09-22T23:10:00+00:00",
    author_handle="van_eng_organizer",
)
NEWS = post_row(
    "1308900000000000002",
    "Hootsuite cancels ICE contract after employee backlash. The Vancouver social media "
    "company said it will not go ahead with the deal after staff objected to it.",
    "2020-09-24T18:00:00+00:00",
    kind="news",
    author_handle="newsdesk",
)
FOLLOW_UP = post_row(
    "1308910000000000003",
    "Hootsuite leadership heard us: the ICE contract is cancelled. Talking inside works.",
    "2020-09-24T19:30:00+00:00",
    author_handle="van_eng_organizer",
)
# a post naming no company that nothing of the campaign takes up
UNRELATED = post_row(
    "1308600000000000004",
    "Solidarity with every warehouse worker walking out this weekend. Heat is a safety issue.",
    "2020-09-23T12:00:00+00:00",
    author_handle="solidarity_desk",
)


def _rows() -> list[dict[str, Any]]:
    return [UNNAMED_DEMAND, UNRELATED, NEWS, FOLLOW_UP]


def test_one_run_places_the_unnamed_demand_in_the_campaign_formed_after_it(
    linker: LinkingEngine,
) -> None:
    run = linker.run([post_input(row, key=row["platform_post_id"]) for row in _rows()])
    links = {link.post.key: link for link in run.links}
    demand, news = links[UNNAMED_DEMAND["platform_post_id"]], links[NEWS["platform_post_id"]]
    assert demand.role == "demand" and demand.company == "hootsuite"
    assert demand.campaign_key == news.campaign_key and demand.demand_key
    # the demand came on 22 September, the news that formed the campaign on the 24th
    assert any("formed 2 days after it" in reason for reason in demand.reasons)
    assert news.role == "response" and news.demand_key == demand.demand_key
    unrelated = links[UNRELATED["platform_post_id"]]
    assert unrelated.company is None and unrelated.campaign_key is None


def test_a_later_run_places_an_earlier_unnamed_demand_and_queues_it(engine: Engine) -> None:
    demand_id, unrelated_id = insert_posts(engine, [UNNAMED_DEMAND, UNRELATED])
    link_posts(engine)
    assert list_suggestions(engine) == []  # no company, no campaign: nothing to propose yet
    with Session(engine) as session:
        stored = session.get(LinkedPost, demand_id)
        assert stored is not None and stored.company_slug is None and stored.role == "demand"
        assert stored.role_score > 0

    news_id, _ = insert_posts(engine, [NEWS, FOLLOW_UP])
    summary = link_posts(engine)
    assert summary.posts_read == 2
    suggestions = {s["post_id"]: s for s in list_suggestions(engine)}
    assert unrelated_id not in suggestions
    demand, news = suggestions[demand_id], suggestions[news_id]
    assert demand["role"] == "demand" and demand["proposal"]["company"] == "hootsuite"
    assert demand["campaign_id"] == news["campaign_id"]
    assert news["demand_id"] == demand["demand_id"]
    assert demand["score"] > 0
    with Session(engine) as session:
        stored = session.get(LinkedPost, demand_id)
        assert stored is not None and stored.company_slug == "hootsuite"
        assert stored.campaign_key == demand["campaign_id"]

    again = link_posts(engine)  # idempotent: nothing new to read, nothing proposed twice
    assert again.posts_read == 0 and len(list_suggestions(engine)) == len(suggestions)


def test_a_busy_window_compares_the_nearest_campaigns_and_always_the_author_s() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    campaigns = [
        CampaignState(
            key=f"c{i}",
            company="acme",
            unit=None,
            first_at=start + timedelta(days=i),
            last_at=None,
            title=f"c{i}",
        )
        for i in range(40)
    ]
    campaigns[39].authors.add("organizer")
    starts = [c.first_at.timestamp() for c in campaigns if c.first_at]
    post = PostLink(post=PostInput(key="p", text="x", author_handle="organizer"))
    moment = (start + timedelta(days=2)).timestamp()
    chosen = engine_module._nearest(campaigns, starts, moment, post, {})
    keys = [c.key for c in chosen]
    assert len(keys) == engine_module.ADOPT_CANDIDATES + 1
    assert keys[:3] == ["c0", "c1", "c2"] and "c39" in keys  # nearest in time, and the author's
    assert "c30" not in keys


@pytest.mark.parametrize(
    ("formed", "said"),
    [
        (datetime(2020, 9, 24, 18, tzinfo=UTC), "2 days after it"),
        (datetime(2020, 9, 23, 12, tzinfo=UTC), "1 day after it"),
        (datetime(2020, 9, 22, 20, tzinfo=UTC), "the same day"),
        (datetime(2020, 9, 12, 23, tzinfo=UTC), "10 days before it"),
    ],
)
def test_the_reason_says_when_the_campaign_formed(formed: datetime, said: str) -> None:
    posted = datetime(2020, 9, 22, 23, 10, tzinfo=UTC)
    assert engine_module._gap(formed, posted) == said


def test_a_demand_sharing_a_few_words_with_the_campaign_formed_days_later_joins_it() -> None:
    # N26, August 2020: a worker's post asks for a works council; five days later the founders'
    # court order against the election is the news (CNBC, 2020-08-13,
    # https://www.cnbc.com/2020/08/13/n26-faces-outcry-from-staff-over-management.html)
    start = datetime(2020, 8, 7, tzinfo=UTC)
    posts = [
        PostInput(
            key="demand",
            text="we want a works council. that's the whole scandal. german law says exactly "
            "how staff elect one, and management can't stop it.",
            posted_at=start,
            platform="x",
            author_handle="berlin_ops_worker",
        ),
        PostInput(
            key="news",
            text="N26 founders win an injunction against a works council election. The Berlin "
            "bank's co-founders went to court to stop a meeting where staff were to choose an "
            "election committee.",
            posted_at=start + timedelta(days=5),
            platform="feed",
            source_kind="news",
            author_handle="fintechnews",
        ),
    ]
    links = {link.post.key: link for link in LinkingEngine().run(posts).links}
    assert links["demand"].company == "n26"
    assert links["demand"].campaign_key == links["news"].campaign_key
    assert links["news"].linked_post_key == "demand"
