"""The must-show: the Parler posts become one campaign at Amazon (AWS), one demand, a full
concession linked to it, outcome met; accepting writes the records with the posts as evidence.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns.linking.engine import ENGINE_VERSION
from campaigns.linking.suggest import link_posts
from campaigns.review import accept_all, list_suggestions
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
