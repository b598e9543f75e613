"""Campaigns already in the store (coded by hand, imported from a file, the demo) are context for
`campaigns link`: a post about one joins it and an answer links to its demand, where the engine
used to propose a new campaign beside it, which accepting would have made twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from campaigns.imports import import_campaigns_csv
from campaigns.linking.suggest import link_posts
from campaigns.review import ReviewError, accept, edit, list_suggestions, stored_campaigns
from db.models import Campaign, Demand, Evidence, Response, ResponseDemand
from tests.factories import demand_row, write_csv
from tests.linking.helpers import insert_posts, post_row
from tests.linking.test_review_page import APP, open_with_one_post, save_and_accept

# demands coded by hand and still waiting for an answer
UNANSWERED = dict.fromkeys(
    ("response_type", "response_date", "response_summary", "outcome_date", "retaliation"), ""
)
CODED = demand_row(
    **UNANSWERED,
    outcome="pending",
    demand="AWS should stop hosting Parler until the violent posts on it are taken down.",
)


def waiting(campaign_id: str, title: str, demand: str, date: str, **more: str) -> dict[str, str]:
    """A campaign coded by hand with one demand, dated ``date``, still waiting for an answer."""
    return demand_row(
        **UNANSWERED,
        outcome="pending",
        campaign_id=campaign_id,
        campaign_title=title,
        demand_id=f"{campaign_id}-d1",
        demand=demand,
        demand_date=date,
        **more,
    )


# a second campaign at Amazon, to move a post into
REKOGNITION = waiting(
    "amazon-rekognition-2018",
    "Stop selling face recognition to police",
    "Amazon should stop selling its Rekognition face-recognition service to the police.",
    "2018-06-21",
)


def news_post(path: str, text: str, when: str) -> dict[str, Any]:
    """A news site's feed entry at ``path``, in the import format."""
    url = f"https://news.example.org/{path}"
    return post_row(
        url, text, when, kind="news", platform="feed", author_handle="news.example.org", url=url
    )


NEWS = news_post(
    "2021/01/10/aws-parler",
    "Amazon will pull Parler off AWS. The company told Parler it would suspend its hosting "
    "account at midnight Sunday, saying the site had not removed posts inciting violence.",
    "2021-01-10T02:00:00+00:00",
)
LATER = news_post(
    "2021/01/21/parler-suit",
    "A judge refuses to order Amazon to restore Parler to AWS, so the suspension of Parler's "
    "hosting stands while its lawsuit goes on.",
    "2021-01-21T20:00:00+00:00",
)


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _review_page(db_url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url)
    return AppTest.from_file(APP, default_timeout=60)


def _store_coded_campaign(engine: Engine, tmp_path: Path, *more: dict[str, str]) -> None:
    import_campaigns_csv(engine, write_csv(tmp_path / "coded.csv", [CODED, *more]))


def test_an_answer_links_to_a_demand_already_in_the_store(engine: Engine, tmp_path: Path) -> None:
    _store_coded_campaign(engine, tmp_path)
    (news,) = insert_posts(engine, [NEWS])
    link_posts(engine)
    (suggestion,) = list_suggestions(engine)
    assert suggestion["post_id"] == news and suggestion["role"] == "response"
    assert suggestion["campaign_id"] == "aecj-parler-2021"
    assert suggestion["demand_id"] == "aecj-parler-2021-d1"
    assert suggestion["proposal"]["campaign"]["title"] == "Stop hosting Parler"  # as stored
    assert suggestion["proposal"]["response"]["response_type"] == "full_concession"

    accept(engine, [suggestion["id"]], reviewer="human:reviewer")
    with Session(engine) as session:
        assert [c.id for c in session.exec(select(Campaign)).all()] == ["aecj-parler-2021"]
        (demand,) = session.exec(select(Demand)).all()
        assert demand.outcome == "met"
        (response,) = session.exec(select(Response)).all()
        assert session.get(ResponseDemand, (response.id, demand.id)) is not None
        evidence = {(e.record_type, e.record_id, e.post_id) for e in session.exec(select(Evidence))}
        assert ("response", response.id, news) in evidence


def test_a_later_run_still_finds_the_stored_demand(engine: Engine, tmp_path: Path) -> None:
    """Once an accepted answer placed the campaign, the next run restores the campaign from that
    post and still offers the stored demand to the next answer."""
    _store_coded_campaign(engine, tmp_path)
    insert_posts(engine, [NEWS])
    link_posts(engine)
    (first,) = list_suggestions(engine)
    accept(engine, [first["id"]], reviewer="human:reviewer")
    (later,) = insert_posts(engine, [LATER])
    link_posts(engine)
    (suggestion,) = list_suggestions(engine)
    assert suggestion["post_id"] == later
    assert suggestion["campaign_id"] == "aecj-parler-2021"
    assert suggestion["demand_id"] == "aecj-parler-2021-d1"


def test_the_review_page_shows_and_accepts_an_answer_to_a_stored_demand(
    engine: Engine, tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_coded_campaign(engine, tmp_path)
    page = _review_page(db_url, monkeypatch)
    at, sid, _news = open_with_one_post(engine, page, NEWS)
    shown = "\n".join(str(t.value) for t in at.text)
    assert "Answers the demand of 2021-01-09: AWS should stop hosting Parler" in shown
    save_and_accept(at, sid)
    assert not at.exception
    with Session(engine) as session:
        assert len(session.exec(select(Campaign)).all()) == 1
        (response,) = session.exec(select(Response)).all()
        assert session.get(ResponseDemand, (response.id, "aecj-parler-2021-d1")) is not None


def test_a_reviewer_moves_an_answer_to_another_stored_campaign(
    engine: Engine, tmp_path: Path
) -> None:
    """`review edit ID --campaign ID`: the answer takes that campaign, its company and unit, and
    answers its earliest demand; the demand it answered before is no longer offered."""
    _store_coded_campaign(engine, tmp_path, REKOGNITION)
    insert_posts(engine, [NEWS])
    link_posts(engine)
    (suggestion,) = list_suggestions(engine)
    assert suggestion["campaign_id"] == "aecj-parler-2021"
    with pytest.raises(ReviewError, match="campaign in the store"):
        edit(engine, suggestion["id"], {"campaign": "no-such-campaign"}, reviewer="human:r")
    proposal = edit(
        engine, suggestion["id"], {"campaign": "amazon-rekognition-2018"}, reviewer="human:r"
    )
    assert proposal["campaign"]["id"] == "amazon-rekognition-2018"
    assert proposal["campaign"]["title"] == "Stop selling face recognition to police"
    assert (proposal["company"], proposal["business_unit"]) == ("amazon", "AWS")
    assert proposal["demand"]["id"] == "amazon-rekognition-2018-d1"
    assert proposal["alternatives"] == []
    (moved,) = list_suggestions(engine)
    assert (moved["campaign_id"], moved["demand_id"]) == (
        "amazon-rekognition-2018",
        "amazon-rekognition-2018-d1",
    )
    accept(engine, [suggestion["id"]], reviewer="human:r")
    with Session(engine) as session:
        (response,) = session.exec(select(Response)).all()
        assert session.get(ResponseDemand, (response.id, "amazon-rekognition-2018-d1"))
        assert session.get(ResponseDemand, (response.id, "aecj-parler-2021-d1")) is None
        assert len(session.exec(select(Campaign)).all()) == 2


def test_the_review_page_moves_a_post_to_another_stored_campaign(
    engine: Engine, tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_coded_campaign(engine, tmp_path, REKOGNITION)
    page = _review_page(db_url, monkeypatch)
    at, sid, _news = open_with_one_post(engine, page, NEWS)
    where = at.selectbox(key=f"campaign-{sid}")
    assert where.value == "aecj-parler-2021"
    assert where.options == [
        "Stop hosting Parler (aecj-parler-2021)",
        "Stop selling face recognition to police (amazon-rekognition-2018)",
    ]
    where.set_value("amazon-rekognition-2018").run()
    at.button(key=f"edit-{sid}").click().run()
    assert not at.exception
    (moved,) = list_suggestions(engine)
    assert (moved["campaign_id"], moved["demand_id"]) == (
        "amazon-rekognition-2018",
        "amazon-rekognition-2018-d1",
    )
    shown = "\n".join(str(t.value) for t in at.text)
    assert "Answers the demand of 2018-06-21: Amazon should stop selling its Rekognition" in shown


def test_the_campaigns_offered_are_the_company_s_newest(engine: Engine, tmp_path: Path) -> None:
    _store_coded_campaign(engine, tmp_path, REKOGNITION)
    assert stored_campaigns(engine, "amazon") == [
        ("aecj-parler-2021", "Stop hosting Parler"),
        ("amazon-rekognition-2018", "Stop selling face recognition to police"),
    ]
    assert stored_campaigns(engine, "amazon", limit=1) == [
        ("aecj-parler-2021", "Stop hosting Parler")
    ]
    assert stored_campaigns(engine, "google") == [] and stored_campaigns(engine, None) == []


def test_the_same_response_reported_twice_is_one_record_with_both_posts(
    engine: Engine, tmp_path: Path
) -> None:
    """Two outlets report the suspension a day apart: accepting both gives one full concession
    with both posts as evidence, not two responses."""
    _store_coded_campaign(engine, tmp_path)
    again = {
        **NEWS,
        "platform_post_id": "https://other.example.org/aws-parler",
        "url": "https://other.example.org/aws-parler",
        "author_handle": "other.example.org",
        "posted_at": "2021-01-11T09:00:00+00:00",
        "text": "AWS has suspended Parler's hosting account, taking the site offline; Amazon "
        "said Parler had not removed posts inciting violence.",
    }
    first, second = insert_posts(engine, [NEWS, again])
    link_posts(engine)
    suggestions = list_suggestions(engine)
    assert {s["post_id"] for s in suggestions} == {first, second}
    assert {s["demand_id"] for s in suggestions} == {"aecj-parler-2021-d1"}
    assert {s["proposal"]["response"]["response_type"] for s in suggestions} == {"full_concession"}
    accept(engine, [s["id"] for s in suggestions], reviewer="human:reviewer")
    with Session(engine) as session:
        (response,) = session.exec(select(Response)).all()
        assert str(response.responded_on) == "2021-01-10"  # the first report's
        posts = {e.post_id for e in session.exec(select(Evidence)) if e.record_id == response.id}
        assert posts == {first, second}


# Two campaigns of one corporate group stored as their coders name the companies: the World of
# Warcraft union at Blizzard Entertainment (which the engine codes as Activision Blizzard, unit
# Blizzard Entertainment) and the Activision QA union at Activision Blizzard (Microsoft's).
WOW = waiting(
    "wow-gamemakers-2024",
    "World of Warcraft Gamemakers Guild",
    "Blizzard should recognise a wall-to-wall union of the World of Warcraft team.",
    "2024-07-24",
    company="Blizzard Entertainment",
    business_unit="",
    demand_type="recognition",
)
ACTIVISION_QA = waiting(
    "activision-qa-union-2024",
    "Activision QA United",
    "Activision should recognise its central QA workers' union.",
    "2024-03-08",
    company="Activision Blizzard",
    business_unit="",
    demand_type="recognition",
)
WOW_NEWS = news_post(
    "2024/07/24/wow-union",
    "World of Warcraft developers form a union. Blizzard recognised the union of the game's "
    "development team and says it will bargain in good faith.",
    "2024-07-24T22:00:00+00:00",
)


def test_a_campaign_stored_at_a_unit_s_own_company_is_found_and_kept_as_stored(
    engine: Engine, tmp_path: Path
) -> None:
    """The engine reads "Blizzard" as Activision Blizzard, unit Blizzard Entertainment; the
    campaign stored at Blizzard Entertainment is the same campaign to it (before, the answer went
    to the Activision QA campaign), and accepting keeps the campaign's company as stored."""
    _store_coded_campaign(engine, tmp_path, WOW, ACTIVISION_QA)
    (news,) = insert_posts(engine, [WOW_NEWS])
    link_posts(engine)
    (suggestion,) = list_suggestions(engine)
    assert suggestion["post_id"] == news
    assert suggestion["campaign_id"] == "wow-gamemakers-2024"
    assert suggestion["demand_id"] == "wow-gamemakers-2024-d1"
    assert suggestion["proposal"]["company"] == "blizzard-entertainment"
    assert suggestion["proposal"]["business_unit"] is None

    accept(engine, [suggestion["id"]], reviewer="human:reviewer")
    with Session(engine) as session:
        campaign = session.get(Campaign, "wow-gamemakers-2024")
        assert campaign is not None and campaign.business_unit is None
        assert session.get(Demand, "wow-gamemakers-2024-d1").outcome == "met"  # type: ignore[union-attr]


def test_an_answer_naming_a_group_company_links_to_its_campaign(
    engine: Engine, tmp_path: Path
) -> None:
    """Microsoft acts, but the workers are Activision's: the answer goes to the Activision
    campaign, not to a campaign at Microsoft itself, and is proposed at Activision Blizzard."""
    zenimax = waiting(
        "zenimax-qa-2022",
        "ZeniMax Workers United",
        "ZeniMax should recognise its quality-assurance testers' union.",
        "2022-12-05",
        company="ZeniMax Media",
        business_unit="",
        demand_type="recognition",
    )
    _store_coded_campaign(engine, tmp_path, ACTIVISION_QA, zenimax)
    news = news_post(
        "2024/03/08/activision-qa",
        "About 600 Activision QA testers join a union, and Microsoft recognises it under its "
        "neutrality agreement with the union.",
        "2024-03-08T16:00:00+00:00",
    )
    insert_posts(engine, [news])
    link_posts(engine)
    (suggestion,) = list_suggestions(engine)
    assert suggestion["campaign_id"] == "activision-qa-union-2024"
    assert suggestion["demand_id"] == "activision-qa-union-2024-d1"
    assert suggestion["proposal"]["company"] == "activision-blizzard"


def test_the_campaigns_offered_include_the_company_s_group(engine: Engine, tmp_path: Path) -> None:
    """A post read at Blizzard may belong to a campaign at its parent Activision Blizzard (or
    at Microsoft above it): those are offered after the company's own, named with their company."""
    _store_coded_campaign(engine, tmp_path, WOW, ACTIVISION_QA, REKOGNITION)
    assert stored_campaigns(engine, "blizzard-entertainment") == [
        ("wow-gamemakers-2024", "World of Warcraft Gamemakers Guild"),
        ("activision-qa-union-2024", "Activision QA United (Activision Blizzard)"),
    ]
    assert stored_campaigns(engine, "microsoft") == [
        ("wow-gamemakers-2024", "World of Warcraft Gamemakers Guild (Blizzard Entertainment)"),
        ("activision-qa-union-2024", "Activision QA United (Activision Blizzard)"),
    ]
    assert stored_campaigns(engine, "amazon")[-1][0] == "amazon-rekognition-2018"
    assert all(c != "wow-gamemakers-2024" for c, _ in stored_campaigns(engine, "amazon"))
