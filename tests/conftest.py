"""Shared fixtures: a fresh, migrated store on SQLite and (when configured) on PostgreSQL.

Every test that takes ``engine`` runs once per backend. PostgreSQL runs when
``TEST_DATABASE_URL`` names a server database (``make test`` sets it when a server answers on
127.0.0.1:5432); with ``CI=true`` a missing PostgreSQL or browser fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from campaigns.registry import sync_registry
from db.engine import make_engine, session_scope, upgrade

IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CAT_ACTIONS = SHARED_DATA / "collective-action-in-tech" / "actions.json"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def skip_or_fail(reason: str) -> None:
    """Skip outside CI; in CI a missing real part is a failure, never a silent skip."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must run in CI)")
    pytest.skip(reason)


BACKENDS = ["sqlite", "postgres"]


def _truncate_all(engine: Engine) -> None:
    from sqlmodel import SQLModel

    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the registry loaded, copied for each test (fast)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with session_scope(engine) as session:
        sync_registry(session)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test session (per xdist worker)."""
    if not TEST_DATABASE_URL:
        skip_or_fail(
            "PostgreSQL tests need TEST_DATABASE_URL (make test sets it when a server runs)"
        )
    import psycopg

    admin_url = make_url(TEST_DATABASE_URL).set(drivername="postgresql")
    name = f"ct_{uuid.uuid4().hex[:12]}"
    conninfo = admin_url.render_as_string(hide_password=False)
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        skip_or_fail(f"PostgreSQL at {TEST_DATABASE_URL} is not reachable: {exc}")
    url = admin_url.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False
    )
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty, migrated store with the registry loaded, on each backend."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "campaigns.db"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    _truncate_all(engine)
    with session_scope(engine) as session:
        sync_registry(session)
    engine.dispose()
    yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """SQLite only, for tests about SQLite itself (files, WAL, the dashboard's default)."""
    path = tmp_path / "campaigns.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()
