"""`campaigns pull` and `campaigns sources` through Typer, with the network made unreachable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import requests
from requests.adapters import BaseAdapter
from sqlalchemy import func, select
from typer.testing import CliRunner

from campaigns.cli import app
from connectors.settings import ConnectorSettings
from db.engine import dispose_engines, make_engine
from db.models import Campaign, Post, SyncState
from tests.factories import demand_row, write_csv

runner = CliRunner()


class UnreachableAdapter(BaseAdapter):
    """requests (tweepy, Mastodon.py): every request fails as if the network were down."""

    calls = 0

    def send(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        UnreachableAdapter.calls += 1
        raise requests.ConnectionError(f"network is unreachable: {request.url}")

    def close(self) -> None:
        pass


def unreachable(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("network is unreachable", request=request)


@pytest.fixture
def offline(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The CLI on a test store, no X token, every transport failing, sleeps recorded only."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    monkeypatch.setenv("COLUMNS", "400")  # the summary table on one line per source
    sleeps: list[float] = []

    def runtime() -> tuple[ConnectorSettings, object]:
        settings = ConnectorSettings.from_env()
        settings.http_transport = httpx.MockTransport(unreachable)
        settings.requests_adapter = UnreachableAdapter()
        return settings, sleeps.append

    monkeypatch.setattr("campaigns.cli.pull.runtime", runtime)
    yield sleeps
    dispose_engines()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def counts(db_url: str) -> tuple[int, int]:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        posts = conn.execute(select(func.count()).select_from(Post)).scalar_one()
        campaigns = conn.execute(select(func.count()).select_from(Campaign)).scalar_one()
    engine.dispose()
    return posts, campaigns


def test_pull_without_token_or_network_reports_each_source_and_exits_2(
    offline: list[float], db_url: str, tmp_path: Path
) -> None:
    assert run("import", "campaigns", str(write_csv(tmp_path / "c.csv", [demand_row()])))[0] == 0
    posts_file = tmp_path / "posts.jsonl"
    posts_file.write_text(
        '{"platform": "x", "platform_post_id": "1", "author_handle": "a", '
        '"posted_at": "2021-01-09T18:00:00+00:00", "text": "AWS: drop Parler", "url": null}\n'
    )
    assert run("import", "posts", str(posts_file))[0] == 0
    for args in (
        ("x", "@AlphabetWorkers", "--owner", "Alphabet Workers Union"),
        ("bluesky", "alphabetworkers.bsky.social", "--owner", "Alphabet Workers Union"),
        ("mastodon", "techworkers@mastodon.social", "--owner", "Tech Workers Coalition"),
        ("feed", "https://example.org/feed.xml", "--kind", "news"),
    ):
        code, out = run("sources", "add", *args)
        assert code == 0, out
    before = counts(db_url)

    code, out = run("pull")
    assert code == 2, out
    assert "Pull summary" in out
    for label in ("x:AlphabetWorkers", "bluesky:alphabetworkers", "mastodon:techworkers", "feed:"):
        assert label in out
    assert "X_BEARER_TOKEN" in out and "network" in out
    assert "0 of 4 sources succeeded" in out
    assert counts(db_url) == before  # posts and coded records untouched
    assert UnreachableAdapter.calls > 0 and offline  # it tried, retried, and never slept
    engine = make_engine(db_url)
    with engine.connect() as conn:
        errors = conn.execute(select(SyncState.last_error)).scalars().all()
    engine.dispose()
    assert len(errors) == 4 and all(errors)


def test_sources_add_list_remove_and_refuse_bad_input(offline: list[float]) -> None:
    code, out = run("sources", "add", "feed", "file:///etc/passwd")
    assert code == 1 and "http:// or https://" in out
    code, out = run("sources", "add", "x", "not a handle!")
    assert code == 1 and "not an X handle" in out
    code, out = run("sources", "add", "feed", "https://example.org/feed.xml", "--kind", "news")
    assert code == 0, out
    code, out = run("sources", "add", "feed", "https://example.org/feed.xml", "--kind", "news")
    assert code == 1 and "already there" in out
    code, out = run("sources", "list")
    assert code == 0 and "example.org/feed.xml" in out and "never" in out
    code, out = run("sources", "deactivate", "1")
    assert code == 0
    code, out = run("pull")
    assert code == 0 and "No active sources" in out
    code, out = run("sources", "activate", "https://example.org/feed.xml")
    assert code == 0
    code, out = run("sources", "remove", "1")
    assert code == 0 and "Removed source 1" in out
    code, out = run("sources", "remove", "1")
    assert code == 1 and "no source" in out
