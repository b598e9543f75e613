"""The Review page in AppTest: an editor accepts a suggestion; a viewer sees no controls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from campaigns.access import EDITOR_KEY
from campaigns.linking.suggest import link_posts
from campaigns.review import accept_all, list_suggestions
from db.engine import session_scope
from db.models import Action, AuditEntry, Campaign, Demand, Evidence, Response, Suggestion
from tests.linking.helpers import PARLER, TWO_DEMANDS, insert_posts, read_jsonl

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "campaigns/dashboard/review.py"


@pytest.fixture
def review_page(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", db_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    yield at
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(at: AppTest, editor: str | None) -> AppTest:
    if editor:
        at.session_state[EDITOR_KEY] = editor
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    return at


def open_with_one_post(
    engine: Engine, review_page: AppTest, row: dict[str, Any]
) -> tuple[AppTest, int, int]:
    """Store one post, link it and open the page as an editor: (page, suggestion id, post id)."""
    (post_id,) = insert_posts(engine, [row])
    link_posts(engine)
    (suggestion,) = list_suggestions(engine)
    return open_page(review_page, "human:Rosa"), suggestion["id"], post_id


def save_and_accept(at: AppTest, sid: int) -> None:
    at.button(key=f"edit-{sid}").click().run()
    at.button(key=f"accept-{sid}").click().run()
    assert not at.exception


def test_accepting_in_the_review_page_creates_records_with_the_post_as_evidence(
    engine: Engine, review_page: AppTest
) -> None:
    demand_post, _ = insert_posts(engine, read_jsonl(PARLER))
    link_posts(engine)
    demand_row = next(s for s in list_suggestions(engine) if s["post_id"] == demand_post)
    at = open_page(review_page, "human:Rosa")
    texts = [t.value for t in at.text]
    assert any("We demand that Amazon stop hosting Parler" in t for t in texts)
    at.button(key=f"accept-{demand_row['id']}").click().run()
    assert not at.exception
    with Session(engine) as session:
        demand = session.exec(select(Demand)).one()
        assert demand.demand_type == "end_contract_or_customer"
        assert demand.review_status == "confirmed"
        evidence = session.exec(
            select(Evidence).where(
                Evidence.record_type == "demand", Evidence.record_id == demand.id
            )
        ).one()
        assert evidence.post_id == demand_post
        assert {a.actor for a in session.exec(select(AuditEntry)).all()} == {"human:Rosa"}
    assert [s["id"] for s in list_suggestions(engine, status="accepted")] == [demand_row["id"]]


def test_an_editor_points_a_reply_at_another_demand_in_the_review_page(
    engine: Engine, review_page: AppTest
) -> None:
    first, second, reply = insert_posts(engine, TWO_DEMANDS)
    link_posts(engine)
    rows = {s["post_id"]: s for s in list_suggestions(engine)}
    sid = rows[reply]["id"]
    at = open_page(review_page, "human:Rosa")
    answers = at.selectbox(key=f"answers-{sid}")
    assert answers.value == rows[first]["demand_id"]
    answers.select(rows[second]["demand_id"]).run()
    at.button(key=f"edit-{sid}").click().run()
    assert not at.exception
    (edited,) = [s for s in list_suggestions(engine) if s["id"] == sid]
    assert edited["demand_id"] == rows[second]["demand_id"]
    assert edited["proposal"]["demand"]["stated_by_post"] == second


def test_the_queue_can_be_narrowed_to_one_role(engine: Engine, review_page: AppTest) -> None:
    insert_posts(engine, [*TWO_DEMANDS, *read_jsonl(PARLER)])
    link_posts(engine)
    at = open_page(review_page, None)
    assert {h.value.split(" · ")[1] for h in at.subheader} == {"demand", "response"}
    at.selectbox(key="review_role").select("response").run()
    assert not at.exception
    shown = [h.value.split(" · ")[1] for h in at.subheader]
    assert shown == ["response", "response"]
    assert any("2 suggestions" in c.value for c in at.caption)


def test_the_pages_a_post_links_are_shown_as_text_before_accepting(
    engine: Engine, review_page: AppTest
) -> None:
    row = read_jsonl(PARLER)[0]
    letter = "https://www.amazonemployees4climatejustice.org/letters/parler"
    row["text"] += f" Read the letter: {letter} #NoAWSforParler"
    insert_posts(engine, [row])
    link_posts(engine)
    at = open_page(review_page, None)
    assert any("kept as evidence when accepted" in c.value for c in at.caption)
    assert letter in [t.value for t in at.text]
    assert not at.markdown or all(letter not in m.value for m in at.markdown)


def test_each_suggestion_says_its_proposed_records_in_plain_lines(
    engine: Engine, review_page: AppTest
) -> None:
    insert_posts(engine, read_jsonl(PARLER))
    link_posts(engine)
    at = open_page(review_page, None)
    texts = [t.value for t in at.text]
    demand = next(t for t in texts if t.startswith("Company: amazon (AWS)\nCampaign (new): "))
    assert "New demand (end_contract_or_customer): " in demand
    response = next(t for t in texts if "Answers the demand of 2021-01-09: " in t)
    assert "Response: full_concession" in response and "Outcome of the demand: met" in response
    assert len(at.expander) == 2 and len(at.json) == 2  # the whole proposal stays at hand


def test_the_queue_can_be_narrowed_to_one_company(engine: Engine, review_page: AppTest) -> None:
    insert_posts(engine, [*TWO_DEMANDS, *read_jsonl(PARLER)])
    link_posts(engine)
    at = open_page(review_page, None)
    company = at.selectbox(key="review_company")
    assert company.options == ["all", "amazon", "google"]
    company.select("google").run()
    assert not at.exception
    shown = {s["id"] for s in list_suggestions(engine, company="google")}
    assert {int(h.value.split(" · ")[0].lstrip("#")) for h in at.subheader} == shown
    # another status whose queue holds no suggestion at that company: the filter resets
    at.radio(key="review_status").set_value("rejected").run()
    assert not at.exception
    assert at.selectbox(key="review_company").options == ["all"]


def test_viewers_see_the_queue_but_no_accept_or_reject(
    engine: Engine, review_page: AppTest
) -> None:
    insert_posts(engine, read_jsonl(PARLER))
    link_posts(engine)
    at = open_page(review_page, None)
    assert any("Parler" in t.value for t in at.text)
    keys = [b.key or "" for b in at.button]
    assert not any(k.startswith(("accept-", "reject-", "edit-")) for k in keys)


def test_empty_queue_says_how_to_fill_it(engine: Engine, review_page: AppTest) -> None:
    at = open_page(review_page, "human:Rosa")
    assert any("campaigns link" in i.value for i in at.info)


def test_an_action_that_states_the_demand_says_so_and_its_type_can_be_edited(
    engine: Engine, review_page: AppTest
) -> None:
    from tests.linking.test_action_demands import ANSWER, LETTER

    letter_post, _ = insert_posts(engine, [LETTER, ANSWER])
    link_posts(engine)
    row = next(s for s in list_suggestions(engine) if s["post_id"] == letter_post)
    sid = row["id"]
    at = open_page(review_page, "human:Rosa")
    assert any("\nStates the demand (end_contract_or_customer): " in t.value for t in at.text)
    at.selectbox(key=f"dt-{sid}").select("policy_change").run()
    at.button(key=f"edit-{sid}").click().run()
    at.button(key=f"accept-{sid}").click().run()
    assert not at.exception
    with Session(engine) as session:
        demand = session.get(Demand, row["demand_id"])
        assert demand is not None and demand.demand_type == "policy_change"
        assert demand.review_status == "confirmed"


def test_an_editor_says_an_action_states_a_demand(engine: Engine, review_page: AppTest) -> None:
    from tests.linking.test_action_demands import LETTER

    at, sid, letter_post = open_with_one_post(engine, review_page, LETTER)
    assert not [s for s in at.selectbox if s.key == f"dt-{sid}"]  # no demand proposed
    at.checkbox(key=f"states-{sid}").check().run()
    at.selectbox(key=f"dt-{sid}").select("end_contract_or_customer").run()
    save_and_accept(at, sid)
    with Session(engine) as session:
        (demand,) = session.exec(select(Demand)).all()
        assert demand.demand_type == "end_contract_or_customer"
        assert demand.text.startswith("Thousands of Google employees sign a letter asking")
        evidence = session.exec(select(Evidence).where(Evidence.record_id == demand.id)).one()
        assert evidence.post_id == letter_post


def test_an_editor_drops_the_action_a_demand_reports(engine: Engine, review_page: AppTest) -> None:
    from tests.linking.test_demand_actions import WALKOUT

    at, sid, _ = open_with_one_post(engine, review_page, WALKOUT)
    assert any("\nAction: walkout on 2022-08-15" in t.value for t in at.text)
    assert at.checkbox(key=f"reports-{sid}").value
    at.checkbox(key=f"reports-{sid}").uncheck().run()
    save_and_accept(at, sid)
    with Session(engine) as session:
        assert session.exec(select(Demand)).one().review_status == "confirmed"
        assert not session.exec(select(Action)).all()


def test_an_editor_says_a_demand_reports_an_action(engine: Engine, review_page: AppTest) -> None:
    from tests.linking.test_demand_actions import DEMAND_ONLY

    at, sid, post_id = open_with_one_post(engine, review_page, DEMAND_ONLY)
    assert not at.checkbox(key=f"reports-{sid}").value
    at.checkbox(key=f"reports-{sid}").check().run()
    at.selectbox(key=f"tactic-{sid}").select("petition").run()
    save_and_accept(at, sid)
    with Session(engine) as session:
        action = session.exec(select(Action)).one()
        assert action.tactic == "petition"
        evidence = session.exec(select(Evidence).where(Evidence.record_id == action.id)).one()
        assert evidence.post_id == post_id


def test_an_editor_turns_a_demand_into_the_outcome_of_an_earlier_one(
    engine: Engine, review_page: AppTest
) -> None:
    first_post, second_post = insert_posts(engine, TWO_DEMANDS[:2])
    link_posts(engine)
    rows = {s["post_id"]: s for s in list_suggestions(engine)}
    first, second = rows[first_post], rows[second_post]
    sid = second["id"]
    at = open_page(review_page, "human:Rosa")
    assert not [s for s in at.selectbox if s.key == f"answers-{sid}"]  # a demand answers none
    at.selectbox(key=f"role-{sid}").select("outcome").run()
    at.selectbox(key=f"answers-{sid}").select(first["demand_id"]).run()
    at.selectbox(key=f"outcome-{sid}").select("met").run()
    at.button(key=f"edit-{sid}").click().run()
    assert not at.exception
    accept_all(engine, min_score=0.0, reviewer="human:Rosa")
    with Session(engine) as session:
        (demand,) = session.exec(select(Demand)).all()
        assert demand.id == first["demand_id"] and demand.outcome == "met"


def test_an_author_handle_is_shown_as_text_not_markdown(
    engine: Engine, review_page: AppTest
) -> None:
    demand_row, _ = read_jsonl(PARLER)
    insert_posts(engine, [{**demand_row, "author_handle": "[click me](https://evil.example)"}])
    link_posts(engine)
    at = open_page(review_page, "human:Rosa")
    (caption,) = [c.value for c in at.caption if c.value.startswith("Post by")]
    assert "\\[click me\\]\\(https" in caption  # escaped: it renders as the characters typed


def test_an_answer_linked_to_no_demand_offers_the_ones_it_may_answer(
    engine: Engine, review_page: AppTest
) -> None:
    """Where no demand fits well enough to link, the engine still offers the best ones: the
    reviewer picks one after "none chosen"."""
    insert_posts(engine, read_jsonl(PARLER))
    link_posts(engine)
    response = next(s for s in list_suggestions(engine) if s["role"] == "response")
    demand_id = response["demand_id"]
    with session_scope(engine) as session:
        stored = session.get(Suggestion, response["id"])
        assert stored is not None
        proposal = dict(stored.proposal)
        offered = {**proposal.pop("demand"), "campaign": proposal["campaign"], "score": 0.15}
        offered.pop("new", None)
        stored.proposal = {**proposal, "alternatives": [offered]}
        stored.demand_id = None
        session.add(stored)
    sid = response["id"]
    at = open_page(review_page, "human:Rosa")
    assert any("May answer: 1 demand(s) that fit too weakly to link" in t.value for t in at.text)
    answers = at.selectbox(key=f"answers-{sid}")
    assert answers.value is None and answers.options[0] == "none chosen"
    answers.select(demand_id).run()
    at.button(key=f"edit-{sid}").click().run()
    assert not at.exception
    (edited,) = [s for s in list_suggestions(engine) if s["id"] == sid]
    assert edited["demand_id"] == demand_id


def test_an_editor_codes_what_the_campaign_is_about(engine: Engine, review_page: AppTest) -> None:
    """The engine's reading of the campaign's struggle is offered; the editor's choice is kept."""
    demand_row = read_jsonl(PARLER)[0]
    at, sid, _ = open_with_one_post(engine, review_page, demand_row)
    about = at.selectbox(key=f"struggle-{sid}")
    assert about.value == "ethics"
    about.select("working_conditions").run()
    save_and_accept(at, sid)
    with Session(engine) as session:
        assert [c.struggle for c in session.exec(select(Campaign))] == ["working_conditions"]


def test_an_editor_drops_the_walkout_an_answer_reports(
    engine: Engine, review_page: AppTest
) -> None:
    from tests.linking.test_answer_actions import WALKOUT_AND_ANSWER

    at, sid, _ = open_with_one_post(engine, review_page, WALKOUT_AND_ANSWER)
    assert at.checkbox(key=f"reports-{sid}").value
    at.checkbox(key=f"reports-{sid}").uncheck().run()
    save_and_accept(at, sid)
    with Session(engine) as session:
        assert session.exec(select(Response)).one().response_type
        assert not session.exec(select(Action)).all()


# Instacart shoppers' strike of 30 March 2020 and its demands (https://www.vox.com/recode/2020/3/
# 30/21199863/instacart-strike-coronavirus-gig-workers); written here.
LISTED = {
    "platform": "x",
    "platform_post_id": "1240000000000000001",
    "author_handle": "gigworkerscollective",
    "posted_at": "2020-03-27T15:00:00+00:00",
    "text": "Instacart shoppers, here is what we are asking for. Our demands: hazard pay of $5 an "
    "hour, paid sick leave for everyone who works, and masks and sanitiser for every shopper.",
    "url": "https://twitter.com/gigworkerscollective/status/1240000000000000001",
    "lang": "en",
    "source_kind": "worker_group",
}


def test_a_post_listing_demands_shows_each_and_accepting_creates_each(
    engine: Engine, review_page: AppTest
) -> None:
    at, sid, post_id = open_with_one_post(engine, review_page, LISTED)
    shown = "\n".join(t.value for t in at.text)
    assert "New demand (pay_and_benefits): hazard pay of $5 an hour" in shown
    assert "Demand 2 it lists (pay_and_benefits): paid sick leave for everyone who works" in shown
    assert "Demand 3 it lists (other): masks and sanitiser for every shopper" in shown
    assert at.checkbox(key=f"listed-{sid}").value
    at.button(key=f"accept-{sid}").click().run()
    assert not at.exception
    with Session(engine) as session:
        demands = session.exec(select(Demand)).all()
        assert sorted(d.text for d in demands) == [
            "hazard pay of $5 an hour",
            "masks and sanitiser for every shopper",
            "paid sick leave for everyone who works",
        ]
        for demand in demands:
            cited = session.exec(select(Evidence).where(Evidence.record_id == demand.id)).all()
            assert {e.post_id for e in cited} == {post_id}


def test_an_editor_says_a_post_states_one_demand_not_a_list(
    engine: Engine, review_page: AppTest
) -> None:
    at, sid, _ = open_with_one_post(engine, review_page, LISTED)
    at.checkbox(key=f"listed-{sid}").uncheck().run()
    save_and_accept(at, sid)
    with Session(engine) as session:
        (demand,) = session.exec(select(Demand)).all()
        assert demand.text == "hazard pay of $5 an hour"
        audited = session.exec(
            select(AuditEntry).where(AuditEntry.field == "proposal.more_demands")
        ).one()
        assert audited.new_value == "none" and "paid sick leave" in (audited.old_value or "")
