"""`campaigns sources add` refuses feeds that point inward or are not http(s), with the reason."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from campaigns.cli import app
from campaigns.sources import SourceError, add_source
from db.engine import dispose_engines, make_engine
from db.models import Source

runner = CliRunner()


@pytest.fixture
def cli_store(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "300")
    dispose_engines()
    engine = make_engine(db_url)
    yield engine
    engine.dispose()
    dispose_engines()


def sources(engine: Engine) -> list[Source]:
    with Session(engine) as session:
        return list(session.exec(select(Source)).all())


@pytest.mark.parametrize(
    ("url", "reasons"),
    [
        ("http://127.0.0.1/x", ("refused", "loopback", "--allow-private")),
        ("file:///etc/passwd", ("not a feed URL", "http:// or https://")),
        ("http://localhost:8080/feed", ("refused", "localhost")),
        ("http://[::1]/feed", ("refused", "loopback")),
        ("http://192.168.0.10/rss", ("refused", "private")),
        ("http://169.254.169.254/latest/meta-data/", ("refused", "link-local")),
        ("ftp://example.org/feed.xml", ("not a feed URL",)),
        ("https://user:secret@example.org/feed.xml", ("refused", "password")),
    ],
)
def test_sources_add_refuses_with_a_clear_reason(
    cli_store: Engine, url: str, reasons: tuple[str, ...]
) -> None:
    result = runner.invoke(app, ["sources", "add", "feed", url])
    assert result.exit_code == 1, result.output
    message = " ".join(result.output.split())
    for reason in reasons:
        assert reason in message, message
    assert "Traceback" not in result.output
    assert sources(cli_store) == []


def test_allow_private_is_an_explicit_opt_in_kept_with_the_source(cli_store: Engine) -> None:
    result = runner.invoke(
        app, ["sources", "add", "feed", "http://127.0.0.1:8080/feed.xml", "--allow-private"]
    )
    assert result.exit_code == 0, result.output
    [source] = sources(cli_store)
    assert source.options.get("allow_private") is True
    # still never another scheme
    result = runner.invoke(app, ["sources", "add", "feed", "file:///etc/passwd", "--allow-private"])
    assert result.exit_code == 1 and len(sources(cli_store)) == 1


def test_public_feeds_are_added_without_any_lookup(cli_store: Engine) -> None:
    result = runner.invoke(app, ["sources", "add", "feed", "https://news.example/feed.xml"])
    assert result.exit_code == 0, result.output
    assert [s.handle for s in sources(cli_store)] == ["https://news.example/feed.xml"]


def test_mastodon_servers_are_checked_too(engine: Engine) -> None:
    with pytest.raises(SourceError, match="localhost"):
        add_source(engine, "mastodon", "workers@intranet.localhost", kind="worker_group")
    assert add_source(engine, "mastodon", "workers@mastodon.social", kind="worker_group").id
