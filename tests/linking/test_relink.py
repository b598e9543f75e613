"""Reading every post again (`campaigns link --again`): after a company is added to the
registry, the posts that named it are proposed; what reviewers decided or edited stays."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from campaigns.cli import app
from campaigns.linking.suggest import link_posts, relink_posts
from campaigns.review import accept, edit, list_suggestions, reject
from db.engine import session_scope
from db.models import Company, Demand, LinkedPost, Suggestion
from tests.linking.helpers import insert_posts, post_row
from tests.linking.test_demand_actions import DEMAND_ONLY, WALKOUT

# Vodeo Games, December 2021: its staff ask the studio to recognise their union
# (https://www.hollywoodreporter.com/business/business-news/vodeo-games-union-voluntarily-
# recognized-1235063260/), written here in our own words. The studio is not in the registry.
VODEO = post_row(
    "1991000000000000001",
    "We've formed a union, and we ask Vodeo Games to recognize it voluntarily. We want a real say "
    "in how our studio works.",
    "2021-12-06T09:00:00+00:00",
)


def _add_vodeo(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add(Company(slug="vodeo-games", name="Vodeo Games"))


def test_a_company_added_to_the_registry_gets_its_posts_proposed(engine: Engine) -> None:
    insert_posts(engine, [VODEO])
    link_posts(engine)
    assert list_suggestions(engine) == []  # no known company: nothing to propose
    _add_vodeo(engine)
    assert link_posts(engine).posts_read == 0  # read already: a plain run reads nothing
    summary = relink_posts(engine)
    assert summary.posts_read == 1
    (row,) = list_suggestions(engine)
    assert row["role"] == "demand" and row["proposal"]["company"] == "vodeo-games"


def test_reading_again_keeps_what_reviewers_decided_or_edited(engine: Engine) -> None:
    later = post_row(
        "1991000000000000002",
        "We demand that Amazon stop the unpaid shutdowns at KSBD before the holidays.",
        "2022-11-01T15:00:00+00:00",
    )
    insert_posts(engine, [WALKOUT, DEMAND_ONLY, VODEO, later])
    link_posts(engine)
    rows = {r["post_url"].rsplit("/", 1)[1]: r for r in list_suggestions(engine)}
    accepted = rows[DEMAND_ONLY["platform_post_id"]]
    rejected = rows[later["platform_post_id"]]
    edited = rows[WALKOUT["platform_post_id"]]
    accept(engine, [accepted["id"]], reviewer="human:ana")
    reject(engine, [rejected["id"]], reviewer="human:ana")
    edit(engine, edited["id"], {"demand_text": "$5 more an hour"}, reviewer="human:ana")
    _add_vodeo(engine)

    summary = relink_posts(engine)
    assert summary.suggestions_replaced == 0  # the only waiting one was edited
    with Session(engine) as session:
        by_post: dict[int, list[Suggestion]] = {}
        for suggestion in session.exec(select(Suggestion)).all():
            by_post.setdefault(suggestion.post_id, []).append(suggestion)
        assert session.get(Suggestion, accepted["id"]).status == "accepted"
        assert session.get(Suggestion, rejected["id"]).status == "rejected"
        kept = session.get(Suggestion, edited["id"])
        assert kept is not None and kept.proposal["demand"]["text"] == "$5 more an hour"
        # each post keeps one suggestion for one reading: nothing proposed twice
        assert all(len(found) == 1 for found in by_post.values())
        assert len(session.exec(select(Demand)).all()) == 1  # the accepted one, still there
        assert len(session.exec(select(LinkedPost)).all()) == 4
    vodeo = [r for r in list_suggestions(engine) if r["proposal"]["company"] == "vodeo-games"]
    assert len(vodeo) == 1


def test_an_unedited_waiting_suggestion_is_proposed_afresh(engine: Engine) -> None:
    insert_posts(engine, [DEMAND_ONLY])
    link_posts(engine)
    (before,) = list_suggestions(engine)
    summary = relink_posts(engine)
    assert summary.suggestions_replaced == 1 and summary.suggestions_created == 1
    (after,) = list_suggestions(engine)
    assert after["proposal"] == before["proposal"] and after["status"] == "proposed"


def test_link_again_on_the_command_line(engine: Engine, db_url: str) -> None:
    insert_posts(engine, [VODEO])
    link_posts(engine)
    _add_vodeo(engine)
    result = CliRunner().invoke(app, ["link", "--again"], env={"DATABASE_URL": db_url})
    assert result.exit_code == 0, result.output
    assert "Forgot the engine's readings; 0 waiting suggestions" in result.output
    assert "Read 1 posts; 1 suggestions queued (1 demand)" in result.output


def test_a_post_a_reviewer_decided_is_not_proposed_again_when_its_reading_changes(
    engine: Engine,
) -> None:
    insert_posts(engine, [DEMAND_ONLY, VODEO])
    link_posts(engine)
    (row,) = list_suggestions(engine)
    accept(engine, [row["id"]], reviewer="human:ana")
    with session_scope(engine) as session:  # as if an older engine had read it otherwise
        stored = session.get(Suggestion, row["id"])
        assert stored is not None
        stored.fingerprint = "read-otherwise-by-an-older-engine"
    _add_vodeo(engine)
    summary = relink_posts(engine)
    assert summary.posts_read == 2 and summary.suggestions_created == 1  # Vodeo's only
    with Session(engine) as session:
        mine = session.exec(select(Suggestion).where(Suggestion.post_id == row["post_id"])).all()
        assert [s.status for s in mine] == ["accepted"]
