"""CSV in and out against the real store (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from campaigns.exports import export_bundle
from campaigns.filters import Filters
from campaigns.flatfile import FlatFileError
from campaigns.imports import import_campaigns_csv
from campaigns.records import history
from db.models import AuditEntry, Campaign, Demand, Evidence, Response
from tests.factories import campaign_rows, demand_row, write_csv


def table_counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            model.__name__: int(
                session.execute(select(func.count()).select_from(model)).scalar_one()
            )
            for model in (Campaign, Demand, Response, Evidence, AuditEntry)
        }


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def sample_rows() -> list[dict[str, str]]:
    return [
        demand_row(),
        *campaign_rows("gh-ice", ["not_met"], year=2019, company="GitHub", business_unit=""),
        *campaign_rows("g-maven", ["met", "partially_met"], year=2018, company="Google"),
        *campaign_rows("nimbus", ["pending"], year=2021, company="Google", retaliation="yes"),
    ]


def test_export_import_export_is_identical(engine: Engine, db_url: str, tmp_path: Path) -> None:
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", sample_rows()))
    export_bundle(engine, tmp_path / "A")
    from db.engine import make_engine

    # a second, empty store on the same backend
    fresh_url = db_url if db_url.startswith("postgresql") else f"sqlite:///{tmp_path / 'b.db'}"
    if fresh_url == db_url:
        from tests.conftest import _truncate_all

        _truncate_all(engine)
    fresh = make_engine(fresh_url)
    from db.engine import upgrade

    upgrade(fresh)
    import_campaigns_csv(fresh, tmp_path / "A" / "demands.csv")
    export_bundle(fresh, tmp_path / "B")
    fresh.dispose()
    assert (tmp_path / "A" / "demands.csv").read_bytes() == (
        tmp_path / "B" / "demands.csv"
    ).read_bytes()


def test_parler_row_is_exported_with_day_counts(engine: Engine, tmp_path: Path) -> None:
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", [demand_row()]))
    export_bundle(engine, tmp_path / "out")
    (row,) = read_rows(tmp_path / "out" / "demands.csv")
    assert row["demand_date"] == "2021-01-09"
    assert row["response_type"] == "full_concession"
    assert row["outcome"] == "met"
    assert row["days_to_response"] == "0"
    assert row["days_to_outcome"] == "1"
    assert row["company"] == "Amazon" and row["business_unit"] == "AWS"


def test_reimport_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", sample_rows())
    import_campaigns_csv(engine, path)
    before = table_counts(engine)
    summary = import_campaigns_csv(engine, path)
    assert summary.changed == 0
    assert table_counts(engine) == before


def test_reimport_with_per_demand_confidence_changes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    rows = campaign_rows("two", ["met", "not_met"])
    rows[1]["confidence"] = "0.5"
    path = write_csv(tmp_path / "in.csv", rows)
    import_campaigns_csv(engine, path)
    assert import_campaigns_csv(engine, path).changed == 0


def test_demo_data_loads_and_reloads_unchanged(engine: Engine) -> None:
    from campaigns.store import load_demo

    first = load_demo(engine)
    assert first.rows >= 25
    assert load_demo(engine).changed == 0


def test_bad_row_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    import_campaigns_csv(engine, write_csv(tmp_path / "good.csv", [demand_row()]))
    before = table_counts(engine)
    rows = [*campaign_rows("new", ["met"]), demand_row(demand_id="x", outcome_date="2020-01-01")]
    with pytest.raises(FlatFileError) as info:
        import_campaigns_csv(engine, write_csv(tmp_path / "bad.csv", rows))
    assert [(e.row, e.column) for e in info.value.errors] == [(3, "outcome_date")]
    assert table_counts(engine) == before


def test_changes_are_audited(engine: Engine, tmp_path: Path) -> None:
    import_campaigns_csv(engine, write_csv(tmp_path / "a.csv", [demand_row()]))
    import_campaigns_csv(
        engine,
        write_csv(tmp_path / "b.csv", [demand_row(outcome="partially_met", coded_by="human:ana")]),
    )
    with Session(engine) as session:
        entries = history(session, "demand", "aecj-parler-2021-d1")
    outcome_changes = [(e.old_value, e.new_value, e.actor) for e in entries if e.field == "outcome"]
    assert outcome_changes == [(None, "met", "human:test"), ("met", "partially_met", "human:ana")]


def test_company_filter_includes_subsidiaries(engine: Engine, tmp_path: Path) -> None:
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", sample_rows()))
    result = export_bundle(engine, tmp_path / "ms", Filters(companies=("microsoft",)))
    campaigns = read_rows(tmp_path / "ms" / "campaigns.csv")
    assert [c["campaign_id"] for c in campaigns] == ["gh-ice"]
    assert campaigns[0]["parent_company"] == "Microsoft"
    assert result.files["demands.csv"] == 1


def test_formula_in_a_title_is_harmless_and_restored(engine: Engine, tmp_path: Path) -> None:
    title = '=HYPERLINK("http://x","y")'
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", [demand_row(campaign_title=title)]))
    export_bundle(engine, tmp_path / "out")
    (row,) = read_rows(tmp_path / "out" / "demands.csv")
    assert row["campaign_title"] == "'" + title
    with Session(engine) as session:
        assert session.get(Campaign, "aecj-parler-2021").title == title  # type: ignore[union-attr]
