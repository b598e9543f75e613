"""The CLI end to end through Typer's runner, on the real store."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from campaigns.cli import app
from db.engine import dispose_engines
from tests.factories import campaign_rows, demand_row, write_csv

runner = CliRunner()


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    yield db_url
    dispose_engines()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_import_export_stats(cli_env: str, tmp_path: Path) -> None:
    rows = [demand_row(), *campaign_rows("c2", ["not_met"], year=2021, company="Google")]
    code, out = run("import", "campaigns", str(write_csv(tmp_path / "in.csv", rows)))
    assert code == 0, out
    assert "Imported 2 rows" in out
    code, out = run("import", "campaigns", str(tmp_path / "in.csv"))
    assert "0 records changed" in out
    code, out = run("export", "--out", str(tmp_path / "out"))
    assert code == 0 and "demands.csv: 2 rows" in out
    code, out = run("stats", "--json")
    report = json.loads(out)
    assert report["overall"]["won"] == 1 and report["overall"]["lost"] == 1
    assert [(r["year"], r["success_rate"]) for r in report["by_year"]] == [(2021, 0.5)]


def test_bad_csv_exits_nonzero_naming_the_row(cli_env: str, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv", [demand_row(), demand_row(demand_id="d2", outcome="maybe")]
    )
    code, out = run("import", "campaigns", str(path))
    assert code == 1
    assert "row 3, column outcome" in out and "Traceback" not in out
    code, out = run("stats", "--json")
    assert json.loads(out)["counts"]["demands"] == 0


def test_wrong_database_url_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/nowhere")
    code, out = run("stats")
    assert code == 2
    assert "Database error" in out and "Traceback" not in out
    dispose_engines()


def test_stats_filters(cli_env: str, tmp_path: Path) -> None:
    rows = [demand_row(), *campaign_rows("c2", ["not_met"], year=2019, company="Google")]
    run("import", "campaigns", str(write_csv(tmp_path / "in.csv", rows)))
    _, out = run("stats", "--json", "--company", "alphabet")
    assert json.loads(out)["overall"]["campaigns"] == 1
    run("export", "--out", str(tmp_path / "g"), "--since", "2020")
    with (tmp_path / "g" / "demands.csv").open() as handle:
        assert [r["campaign_id"] for r in csv.DictReader(handle)] == ["aecj-parler-2021"]


def test_db_upgrade_and_init(cli_env: str) -> None:
    assert run("db", "upgrade")[0] == 0
    code, out = run("init")
    assert code == 0 and "Database ready" in out
