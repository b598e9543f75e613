"""The review queue on a real store: incremental linking, idempotence, accept, reject, edit."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns.linking.suggest import link_posts
from campaigns.review import (
    ReviewError,
    accept,
    count_suggestions,
    edit,
    list_suggestions,
    proposal_summary,
    reject,
)
from db.models import (
    Action,
    AuditEntry,
    Demand,
    Evidence,
    LinkedPost,
    ResponseDemand,
    Suggestion,
)
from tests.linking.helpers import PARLER, TWO_DEMANDS, insert_posts, post_row, read_jsonl

WALKOUT = post_row(
    "1800000000000000001",
    "Tomorrow Riot Games workers walk out: we demand that Riot end forced arbitration for "
    "every employee, current and future.",
    "2019-05-03T15:00:00+00:00",
    author_handle="riotwalkout",
)
WALKOUT_ACTION = post_row(
    "1800000000000000002",
    "Hundreds of Riot Games employees walked out today at the Los Angeles campus over "
    "forced arbitration.",
    "2019-05-06T20:00:00+00:00",
    kind="news",
    author_handle="kotaku",
)


def test_link_is_incremental_and_idempotent(engine: Engine) -> None:
    insert_posts(engine, read_jsonl(PARLER))
    first = link_posts(engine)
    assert first.posts_read == 2 and first.suggestions_created == 2
    again = link_posts(engine)
    assert again.posts_read == 0 and again.suggestions_created == 0
    with Session(engine) as session:
        assert len(session.exec(select(Suggestion)).all()) == 2
        assert len(session.exec(select(LinkedPost)).all()) == 2


def test_a_later_post_joins_the_campaign_linked_earlier(engine: Engine) -> None:
    insert_posts(engine, [WALKOUT])
    link_posts(engine)
    insert_posts(engine, [WALKOUT_ACTION])
    summary = link_posts(engine)
    assert summary.posts_read == 1
    rows = {s["role"]: s for s in list_suggestions(engine)}
    assert rows["action"]["campaign_id"] == rows["demand"]["campaign_id"]
    assert rows["action"]["proposal"]["action"]["tactic"] == "walkout"


def test_rejected_suggestion_is_remembered_and_never_proposed_again(engine: Engine) -> None:
    insert_posts(engine, read_jsonl(PARLER))
    link_posts(engine)
    ids = [s["id"] for s in list_suggestions(engine)]
    reject(engine, ids[:1], reviewer="human:ana")
    with Session(engine) as session:
        for linked in session.exec(select(LinkedPost)).all():
            session.delete(linked)  # forget what was read, as a full relink would
        session.commit()
    summary = link_posts(engine)
    assert summary.posts_read == 2
    assert summary.suggestions_created == 0 and summary.suggestions_known == 2
    assert [s["id"] for s in list_suggestions(engine, status="rejected")] == ids[:1]
    with pytest.raises(ReviewError, match="rejected already"):
        accept(engine, ids[:1], reviewer="human:ana")


def test_accepting_an_action_records_it_with_the_post_as_evidence(engine: Engine) -> None:
    (post_id,) = insert_posts(engine, [WALKOUT_ACTION])
    link_posts(engine)
    (row,) = list_suggestions(engine)
    assert row["role"] == "action"
    accept(engine, [row["id"]], reviewer="human:ana")
    with Session(engine) as session:
        action = session.exec(select(Action)).one()
        assert action.tactic == "walkout" and action.review_status == "confirmed"
        evidence = session.exec(select(Evidence).where(Evidence.record_type == "action")).one()
        assert evidence.post_id == post_id and evidence.kind == "news"


def test_the_pages_a_post_points_to_become_evidence_of_its_record(engine: Engine) -> None:
    import json

    from db.models import Post

    letter = "https://www.amazonemployees4climatejustice.org/letters/parler"
    petition = "https://www.change.org/p/amazon-stop-hosting-parler?utm_source=share"
    row = read_jsonl(PARLER)[0]
    row["text"] += (
        f" Our letter: {letter} https://t.co/AbC123 (follow https://x.com/AMZNforClimate)"
    )
    (post_id,) = insert_posts(engine, [row])
    with Session(engine) as session:  # as imported with its links (README, import posts)
        post = session.get(Post, post_id)
        assert post is not None
        post.raw = json.dumps({**row, "links": [petition, row["url"]]})
        session.add(post)
        session.commit()
    link_posts(engine)
    (suggestion,) = list_suggestions(engine)
    assert suggestion["evidence_links"] == [petition, letter]  # what accepting will keep
    accept(engine, [suggestion["id"]], reviewer="human:ana")
    with Session(engine) as session:
        evidence = session.exec(select(Evidence)).all()
        demand_urls = sorted(e.url for e in evidence if e.record_type == "demand")
        # the post, the petition its payload lists and the letter its text names; not the
        # short link (where it leads is unknown), the account's profile, the post itself, or
        # pages of a person's account (a social post, a personal blog: they name the person)
        assert demand_urls == sorted([row["url"], letter, petition])
        (page,) = [e for e in evidence if e.url == letter]
        assert page.post_id is None
        assert page.publisher == "amazonemployees4climatejustice.org"
        assert [e.url for e in evidence if e.record_type == "campaign"] == [row["url"]]


def test_edit_changes_the_proposal_checks_codes_and_is_audited(engine: Engine) -> None:
    insert_posts(engine, [WALKOUT])
    link_posts(engine)
    (row,) = list_suggestions(engine)
    with pytest.raises(ReviewError, match="demand_type must be one of"):
        edit(engine, row["id"], {"demand_type": "free lunch"}, reviewer="human:ana")
    with pytest.raises(ReviewError, match="cannot edit"):
        edit(engine, row["id"], {"score": "1"}, reviewer="human:ana")
    edit(engine, row["id"], {"demand_type": "personnel"}, reviewer="human:ana")
    accept(engine, [row["id"]], reviewer="human:ana")
    with Session(engine) as session:
        assert session.exec(select(Demand)).one().demand_type == "personnel"
        fields = {
            a.field for a in session.exec(select(AuditEntry)).all() if a.record_type == "suggestion"
        }
        assert {"proposal.demand_type", "status"} <= fields


def test_a_reply_can_be_pointed_at_another_demand_the_engine_found(engine: Engine) -> None:
    first, second, reply = insert_posts(engine, TWO_DEMANDS)
    link_posts(engine)
    rows = {s["post_id"]: s for s in list_suggestions(engine)}
    response = rows[reply]
    assert response["demand_id"] == rows[first]["demand_id"]
    (alternative,) = response["proposal"]["alternatives"]
    assert alternative["id"] == rows[second]["demand_id"]
    assert alternative["stated_by_post"] == second
    assert any("may answer instead" in reason for reason in response["reasons"])
    with pytest.raises(ReviewError, match="may answer"):
        edit(engine, response["id"], {"demand": "dem-unknown"}, reviewer="human:ana")
    with pytest.raises(ReviewError, match="only a response or an outcome"):
        edit(engine, rows[first]["id"], {"demand": alternative["id"]}, reviewer="human:ana")
    proposal = edit(engine, response["id"], {"demand": alternative["id"]}, reviewer="human:ana")
    # the demand it replaced is now the alternative, so the change can be undone
    assert proposal["demand"]["id"] == alternative["id"]
    assert [a["id"] for a in proposal["alternatives"]] == [rows[first]["demand_id"]]
    accept(engine, [r["id"] for r in rows.values()], reviewer="human:ana")
    with Session(engine) as session:
        (link,) = session.exec(select(ResponseDemand)).all()
        assert link.demand_id == alternative["id"]
        audited = {
            (a.field, a.old_value, a.new_value)
            for a in session.exec(select(AuditEntry)).all()
            if a.record_type == "suggestion"
        }
        assert ("proposal.demand", rows[first]["demand_id"], alternative["id"]) in audited


def test_the_queue_is_filtered_and_paged_by_the_database(engine: Engine) -> None:
    insert_posts(engine, [*TWO_DEMANDS, *read_jsonl(PARLER), WALKOUT, WALKOUT_ACTION])
    link_posts(engine)
    everything = list_suggestions(engine)
    assert len(everything) == count_suggestions(engine) == 7
    scores = [row["score"] for row in everything]
    assert scores == sorted(scores, reverse=True)
    pages = [list_suggestions(engine, limit=3, offset=start) for start in (0, 3, 6)]
    assert [row["id"] for page in pages for row in page] == [row["id"] for row in everything]
    demands = list_suggestions(engine, role="demand")
    assert {row["role"] for row in demands} == {"demand"}
    assert len(demands) == count_suggestions(engine, role="demand") == 4
    low = min(scores)
    assert count_suggestions(engine, min_score=low + 1e-9) == sum(s > low for s in scores)
    reject(engine, [everything[0]["id"]], reviewer="human:ana")
    assert count_suggestions(engine) == 6
    assert count_suggestions(engine, status="rejected") == 1


def test_the_queue_is_filtered_by_the_company_each_suggestion_proposes(engine: Engine) -> None:
    from campaigns.review import queued_companies

    insert_posts(engine, [*TWO_DEMANDS, *read_jsonl(PARLER), WALKOUT])
    link_posts(engine)
    everything = list_suggestions(engine)
    by_company: dict[str, set[int]] = {}
    for row in everything:
        by_company.setdefault(row["proposal"]["company"], set()).add(row["id"])
    assert set(by_company) == {"google", "amazon", "riot-games"}
    assert queued_companies(engine) == sorted(by_company)
    for company, ids in by_company.items():
        assert {r["id"] for r in list_suggestions(engine, company=company)} == ids
        assert count_suggestions(engine, company=company) == len(ids)
    # a reviewer's correction moves the suggestion to the company it now proposes
    moved = min(by_company["riot-games"])
    edit(engine, moved, {"company": "amazon"}, reviewer="human:ana")
    assert moved in {r["id"] for r in list_suggestions(engine, company="amazon")}
    assert count_suggestions(engine, company="riot-games") == len(by_company["riot-games"]) - 1
    reject(engine, [moved], reviewer="human:ana")
    assert queued_companies(engine, status="rejected") == ["amazon"]
    assert count_suggestions(engine, company="nobody") == 0


def test_unknown_suggestion_is_a_clear_error(engine: Engine) -> None:
    with pytest.raises(ReviewError, match="no suggestion 999"):
        accept(engine, [999], reviewer="human:ana")


def test_link_reads_bad_posts_without_errors_or_guesses(engine: Engine) -> None:
    texts = ["", "✊🔥💪", "<div><b>x</b>" * 5000, "z" * 100_000, "Trabajadores en huelga hoy"]
    rows = [
        post_row(f"19000000000000000{i:02d}", text, "2022-01-01T00:00:00+00:00", kind="news")
        for i, text in enumerate(texts)
    ]
    insert_posts(engine, rows)
    summary = link_posts(engine)
    assert summary.posts_read == len(texts)
    assert summary.suggestions_created == 0
    with Session(engine) as session:
        linked = session.exec(select(LinkedPost)).all()
        assert len(linked) == len(texts)
        assert all(row.company_slug is None for row in linked)


def test_a_proposal_summary_names_what_accepting_would_write() -> None:
    from campaigns.review import proposal_summary

    action = {
        "role": "action", "company": "riot-games", "business_unit": None,
        "campaign": {"id": "c", "title": "Riot Games walkout", "new": False},
        "action": {"tactic": "walkout", "happened_on": "2019-05-06"},
    }  # fmt: skip
    assert proposal_summary(action) == [
        "Company: riot-games",
        "Campaign: Riot Games walkout",
        "Action: walkout on 2019-05-06",
    ]
    orphan = {"role": "outcome", "company": None, "campaign": {"title": "x" * 200, "new": True}}
    lines = proposal_summary({**orphan, "outcome": {"value": "not_met"}})
    assert lines[0] == "Company: no company" and lines[1].endswith("…") and len(lines[1]) < 90
    assert "Answers no demand found yet (a reviewer can pick one)" in lines
    assert lines[-1] == "Outcome of the demand: not_met"


def test_a_demand_read_wrongly_can_answer_an_earlier_demand_instead(engine: Engine) -> None:
    # the engine reads a post as a new demand; the reviewer reads it as the outcome of the
    # campaign's earlier demand, which the proposal offers among its alternatives
    first_post, second_post = insert_posts(engine, TWO_DEMANDS[:2])
    link_posts(engine)
    rows = {s["post_id"]: s for s in list_suggestions(engine)}
    first, second = rows[first_post], rows[second_post]
    assert second["role"] == "demand"
    (offered,) = second["proposal"]["alternatives"]
    assert offered["id"] == first["demand_id"]
    assert not any(line.startswith("May answer") for line in proposal_summary(second["proposal"]))
    assert "alternatives" not in first["proposal"]  # nothing was stated before the first
    edit(
        engine, second["id"], {"role": "outcome", "demand": first["demand_id"], "outcome": "met"},
        reviewer="human:ana",
    )  # fmt: skip
    accept(engine, [first["id"], second["id"]], reviewer="human:ana")
    with Session(engine) as session:
        (demand,) = session.exec(select(Demand)).all()
        assert demand.id == first["demand_id"] and demand.outcome == "met"
