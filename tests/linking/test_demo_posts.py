"""The demo comes with a dozen news posts about its campaigns, linked by the engine, so the
Review page of a new store (`make run`) shows what the engine proposes."""

from __future__ import annotations

import json
from urllib.parse import urlparse

from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from campaigns.cli import app
from campaigns.review import accept, list_suggestions
from campaigns.store import DEMO_POSTS
from db.models import Evidence, Post, Response

runner = CliRunner()
SUSPENSION = "https://thehill.com/homenews/news/533512-amazon-suspends-parler-off-web-hosting-service-reports"


def test_demo_posts_are_news_reports_with_real_addresses() -> None:
    posts = [json.loads(line) for line in DEMO_POSTS.read_text(encoding="utf-8").splitlines()]
    assert len(posts) >= 10
    for post in posts:
        address = urlparse(post["url"])
        assert address.scheme == "https" and "example" not in address.netloc, post["url"]
        assert post["platform"] == "feed" and post["source_kind"] == "news"
        assert address.netloc.removeprefix("www.") == post["author_handle"]
        assert post["platform_post_id"] == post["url"]


def test_the_demo_queues_suggestions_once(cli_store: Engine) -> None:
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "Demo posts: 12 new; the linking engine queued 12 suggestions" in first.output
    again = runner.invoke(app, ["demo"])
    assert "Demo posts: 0 new; the linking engine queued 0 suggestions" in again.output

    suggestions = list_suggestions(cli_store)
    assert len(suggestions) == 12
    with Session(cli_store) as session:
        assert len(session.exec(select(Post)).all()) == 12
    # most answer or join a demo campaign; the Uber tribunal post starts one the demo lacks
    stored = [s for s in suggestions if not s["proposal"]["campaign"]["new"]]
    assert len(stored) >= 9
    assert any(
        s["proposal"]["company"] == "uber" and s["proposal"]["campaign"]["new"] for s in suggestions
    )


def test_accepting_the_demo_s_parler_report_adds_it_as_evidence(cli_store: Engine) -> None:
    """The demo codes AWS's suspension of Parler already; the news post about it is offered as
    the answer to that demand, and accepting it adds the post as evidence of the response
    recorded, not a second response."""
    assert runner.invoke(app, ["demo"]).exit_code == 0
    (parler,) = [s for s in list_suggestions(cli_store) if s["post_url"] == SUSPENSION]
    assert parler["role"] == "response"
    assert parler["demand_id"] == "aecj-parler-2021-d1"
    assert parler["proposal"]["response"]["response_type"] == "full_concession"
    with Session(cli_store) as session:
        before = len(session.exec(select(Response)).all())

    accept(cli_store, [parler["id"]], reviewer="human:reviewer")
    with Session(cli_store) as session:
        assert len(session.exec(select(Response)).all()) == before
        evidence = session.exec(
            select(Evidence).where(Evidence.post_id == parler["post_id"])  # type: ignore[arg-type]
        ).all()
        assert {e.record_type for e in evidence} >= {"response", "campaign"}
