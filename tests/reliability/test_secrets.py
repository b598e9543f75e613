"""Secrets stay secret: recognisable fake tokens never reach the store, logs, output or exports.

The test sets an X bearer token, a pseudonym key, an editor passphrase and (on PostgreSQL) a
database password, all recognisable; runs `sources add`, `pull` (against a fake X API that
checks the token was sent, plus one source whose API answers 401), `link` when it exists,
`export`, `backup` and the dashboard's pages (AppTest); then scans the database, every log
record, everything printed and every file written for the token values.
"""

from __future__ import annotations

import io
import json
import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter
from sqlalchemy.engine import make_url
from typer.main import get_command
from typer.testing import CliRunner

from campaigns.cli import app
from connectors.settings import ConnectorSettings
from db.engine import dispose_engines

ROOT = Path(__file__).resolve().parents[2]
X_TOKEN = "xbearer-FAKE-7f3c9e1d-DO-NOT-LEAK"
PSEUDONYM_KEY = "pseudokey-FAKE-0b5d2a77-DO-NOT-LEAK"
PASSPHRASE = "passphrase FAKE 51ab DO NOT LEAK"
DB_PASSWORD = "dbpass-FAKE-c0ffee-DO-NOT-LEAK"
SECRETS = (X_TOKEN, PSEUDONYM_KEY, PASSPHRASE, DB_PASSWORD)
USER_ID = "1346889436626259968"


def tweet(n: int) -> dict[str, Any]:
    return {
        "id": str(1750000000000000000 + n),
        "text": f"Post {n}: we demand an end to the contract #NoTechForApartheid",
        "created_at": f"2024-01-0{n}T12:00:00.000Z",
        "author_id": USER_ID,
        "lang": "en",
        "edit_history_tweet_ids": [str(1750000000000000000 + n)],
    }


class FakeXApi(BaseAdapter):
    """The X API v2 for two accounts: one readable, one whose token is refused (401)."""

    def __init__(self) -> None:
        super().__init__()
        self.authorizations: list[str] = []

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        self.authorizations.append(str(request.headers.get("Authorization", "")))
        path = (request.path_url or "").split("?")[0]
        status = 404
        body: dict[str, Any] = {"title": "Not Found", "detail": "no such resource"}
        if path == "/2/users/by/username/SecretTestAcct":
            status, body = 200, {"data": {"id": USER_ID, "username": "SecretTestAcct"}}
        elif path == f"/2/users/{USER_ID}/tweets":
            status, body = 200, {"data": [tweet(n) for n in (3, 2, 1)], "meta": {"result_count": 3}}
        elif path == "/2/users/by/username/RefusedAccount":
            status, body = 401, {"title": "Unauthorized", "detail": "Unauthorized", "status": 401}
        response = requests.Response()
        response.status_code = status
        response.headers["Content-Type"] = "application/json"
        response.raw = io.BytesIO(json.dumps(body).encode())
        response.url = str(request.url)
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


def with_password(db_url: str) -> str:
    """The URL with a password (PostgreSQL here trusts local connections and ignores it)."""
    url = make_url(db_url)
    if url.get_backend_name() != "postgresql":
        return db_url
    return url.set(password=DB_PASSWORD).render_as_string(hide_password=False)


@pytest.fixture
def secret_env(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, FakeXApi]]:
    url = with_password(db_url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("X_BEARER_TOKEN", X_TOKEN)
    monkeypatch.setenv("CAMPAIGNS_PSEUDONYM_KEY", PSEUDONYM_KEY)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("COLUMNS", "300")
    fake_x = FakeXApi()

    def runtime() -> tuple[ConnectorSettings, object]:
        settings = ConnectorSettings.from_env()
        settings.requests_adapter = fake_x
        return settings, lambda _seconds: None

    monkeypatch.setattr("campaigns.cli.pull.runtime", runtime)
    dispose_engines()
    yield url, fake_x
    dispose_engines()


def database_text(url: str, tmp_path: Path) -> bytes:
    """Every byte the store holds: the SQLite files, or a plain pg_dump of the database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(str(parsed.database))
        return b"".join(
            p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
        )
    dsn = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "-d", dsn], capture_output=True, check=True, timeout=300
    )
    assert b"CREATE TABLE" in dump.stdout and b"Post 1: we demand" in dump.stdout
    return dump.stdout


def commands() -> set[str]:
    return set(getattr(get_command(app), "commands", {}))


def test_no_secret_reaches_the_store_logs_output_or_exports(
    secret_env: tuple[str, FakeXApi],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, fake_x = secret_env
    caplog.set_level(logging.DEBUG)
    runner = CliRunner()
    printed: list[str] = []

    def run(*args: str, input: str | None = None, ok: tuple[int, ...] = (0,)) -> None:
        result = runner.invoke(app, list(args), input=input)
        printed.append(result.output)
        printed.append(result.stderr if result.stderr_bytes is not None else "")
        assert result.exit_code in ok, (args, result.output, result.exception)

    run("demo")
    run("editors", "set-passphrase", "--passphrase-stdin", input=PASSPHRASE + "\n")
    run("sources", "add", "x", "SecretTestAcct", "--owner", "Alphabet Workers Union")
    run("sources", "add", "x", "RefusedAccount", "--owner", "Someone")
    run("pull", ok=(1,))  # one source fails with 401, the other succeeds
    assert f"Bearer {X_TOKEN}" in fake_x.authorizations, "the token was never used"
    run("sources", "list")
    if "link" in commands():
        run("link", ok=(0, 1))
    out = tmp_path / "export"
    run("export", "--out", str(out))
    backup = tmp_path / "store.backup"
    run("backup", str(backup))
    run("stats")

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    page_texts = [repr(at)]
    for page in sorted((ROOT / "campaigns" / "dashboard").glob("*.py")):
        if page.name in ("__init__.py",) or page.name not in app_pages():
            continue
        at.switch_page(f"campaigns/dashboard/{page.name}")
        at.run()
        assert not at.exception, (page.name, at.exception)
        page_texts.append(repr(at))
    st.cache_data.clear()
    st.cache_resource.clear()

    places: dict[str, bytes] = {
        "database": database_text(url, tmp_path),
        "command output": "\n".join(printed).encode(),
        "logs": caplog.text.encode() + "\n".join(str(r.__dict__) for r in caplog.records).encode(),
        "dashboard": "\n".join(page_texts).encode(),
        "backup": backup.read_bytes(),
    }
    for path in sorted(out.rglob("*")):
        if path.is_file():
            places[f"export {path.name}"] = path.read_bytes()
    assert any(b"Post 1: we demand" in v for k, v in places.items() if k.startswith("export"))
    leaks = [
        (secret, place)
        for secret in SECRETS
        for place, content in places.items()
        if secret.encode() in content
    ]
    assert not leaks, f"secrets found: {leaks}"


def app_pages() -> set[str]:
    """The page files app.py declares."""
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    return {
        name
        for name in (p.name for p in (ROOT / "campaigns" / "dashboard").glob("*.py"))
        if f"campaigns/dashboard/{name}" in source
    }


def test_streamlit_runs_with_xsrf_protection() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["client"]["showErrorDetails"] is False  # no tracebacks shown to visitors


def test_log_records_are_redacted_whichever_library_writes_them(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from connectors import redaction

    monkeypatch.setenv("MASTODON_ACCESS_TOKEN", "mastodon-FAKE-9911-DO-NOT-LEAK")
    redaction.install()
    caplog.set_level(logging.DEBUG)
    logging.getLogger("tweepy.client").debug(
        "Headers: %s", {"Authorization": "Bearer abc123SECRETxyz"}
    )
    logging.getLogger("some.library").info("token is mastodon-FAKE-9911-DO-NOT-LEAK, ok")
    assert "abc123SECRETxyz" not in caplog.text
    assert "mastodon-FAKE-9911" not in caplog.text
    assert caplog.text.count(redaction.MASK) == 2
    assert "token is [redacted], ok" in caplog.text
