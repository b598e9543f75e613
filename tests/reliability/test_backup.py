"""Backup → wipe → restore gives back exactly the same export, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel
from typer.testing import CliRunner

from campaigns.backup import BackupError, backup_store, restore_store
from campaigns.cli import app
from campaigns.exports import export_bundle
from campaigns.store import load_demo
from db.engine import dispose_engines, make_engine
from db.models import Campaign, Demand
from tests.factories import demand_row, write_csv

# Exports compared across runs carry one date (a run may cross midnight).
AS_OF = date(2026, 1, 1)

pytestmark = pytest.mark.slow


def export_files(engine: Engine, directory: Path) -> dict[str, bytes]:
    export_bundle(engine, directory, as_of=AS_OF)
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def wipe(engine: Engine) -> None:
    """Delete every row of every table (the registry too)."""
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(tables) + " CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


def count(engine: Engine, model: type[SQLModel]) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_backup_wipe_restore_gives_an_identical_export(engine: Engine, tmp_path: Path) -> None:
    load_demo(engine)
    before = export_files(engine, tmp_path / "before")
    assert before["demands.csv"].count(b"\n") > 10
    backup_file = tmp_path / "store.backup"
    result = backup_store(engine, backup_file)
    assert result.size_bytes > 0 and result.backend == engine.dialect.name

    wipe(engine)
    assert count(engine, Campaign) == 0
    assert export_files(engine, tmp_path / "wiped") != before

    restore_store(engine, backup_file)
    assert export_files(engine, tmp_path / "after") == before
    assert count(engine, Demand) > 10


def test_restore_replaces_rows_added_after_the_backup(engine: Engine, tmp_path: Path) -> None:
    load_demo(engine)
    backup_file = tmp_path / "store.backup"
    backup_store(engine, backup_file)
    before = count(engine, Campaign)
    from campaigns.imports import import_campaigns_csv

    import_campaigns_csv(
        engine,
        write_csv(
            tmp_path / "extra.csv",
            [demand_row(campaign_id="after-backup", demand_id="after-backup-d1")],
        ),
    )
    assert count(engine, Campaign) == before + 1
    restore_store(engine, backup_file)
    assert count(engine, Campaign) == before


def test_a_damaged_backup_is_refused_and_the_store_is_unchanged(
    engine: Engine, tmp_path: Path
) -> None:
    load_demo(engine)
    before = export_files(engine, tmp_path / "before")
    backup_file = tmp_path / "store.backup"
    backup_store(engine, backup_file)
    data = backup_file.read_bytes()
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupError, match=r"nothing was restored|unchanged|failed"):
        restore_store(engine, damaged)
    assert export_files(engine, tmp_path / "after") == before


def test_a_file_that_is_not_a_backup_is_refused(engine: Engine, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello, not a database\n")
    with pytest.raises(BackupError, match="neither an SQLite backup nor a pg_dump archive"):
        restore_store(engine, bogus)


def test_a_backup_of_the_other_backend_is_refused(engine: Engine, tmp_path: Path) -> None:
    other = tmp_path / "other.backup"
    if engine.dialect.name == "sqlite":
        other.write_bytes(b"PGDMP" + b"\x00" * 100)
        expected = "postgresql backup but the database is sqlite"
    else:
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
        expected = "sqlite backup but the database is postgresql"
    with pytest.raises(BackupError, match=expected):
        restore_store(engine, other)


def test_sqlite_backup_is_one_self_contained_file(sqlite_engine: Engine, tmp_path: Path) -> None:
    load_demo(sqlite_engine)
    backup_file = tmp_path / "copy.db"
    backup_store(sqlite_engine, backup_file)
    assert not Path(f"{backup_file}-wal").exists()
    conn = sqlite3.connect(backup_file)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT count(*) FROM campaign").fetchone()[0] == count(
            sqlite_engine, Campaign
        )
    finally:
        conn.close()


def test_sqlite_restore_into_a_new_file(sqlite_engine: Engine, tmp_path: Path) -> None:
    load_demo(sqlite_engine)
    before = export_files(sqlite_engine, tmp_path / "before")
    backup_file = tmp_path / "store.backup"
    backup_store(sqlite_engine, backup_file)
    fresh = make_engine(f"sqlite:///{tmp_path / 'new' / 'campaigns.db'}")
    try:
        restore_store(fresh, backup_file)
        assert export_files(fresh, tmp_path / "after") == before
        with fresh.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    finally:
        fresh.dispose()


def test_backup_refuses_to_overwrite_the_store_itself(sqlite_engine: Engine) -> None:
    with pytest.raises(BackupError, match="is the database itself"):
        backup_store(sqlite_engine, Path(str(sqlite_engine.url.database)))


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("DATABASE_URL", db_url)
    dispose_engines()
    yield db_url
    dispose_engines()


def test_backup_and_restore_commands(cli_env: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["demo"]).exit_code == 0
    backup_file = tmp_path / "cli.backup"
    result = runner.invoke(app, ["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output and backup_file.stat().st_size > 0
    result = runner.invoke(app, ["restore", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    missing = runner.invoke(app, ["restore", str(tmp_path / "nope.backup")])
    assert missing.exit_code == 1
    assert "Restore failed" in missing.output and "cannot read the backup" in missing.output
