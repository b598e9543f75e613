"""Engine and sessions: SQLite by default, PostgreSQL through ``DATABASE_URL``.

The database is created and migrated to the newest schema on first use, so every entry point
(CLI, dashboard, tests) sees the same schema without a separate set-up step.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlmodel import Session, create_engine

DEFAULT_SQLITE_PATH = Path("data") / "campaigns.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseError(RuntimeError):
    """The database cannot be used: the message says why and what to do, in one line."""


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else ``DATABASE_URL``, else the embedded SQLite file."""
    url = url or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"
    # psycopg 3 is the driver; accept the plain URLs people copy from hosting panels.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    return url


def redact(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """A new engine for ``url`` (no migration, no connection yet)."""
    resolved = database_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError as exc:
        raise DatabaseError(
            f"DATABASE_URL is not a database URL ({exc}); use e.g. sqlite:///data/campaigns.db "
            "or postgresql+psycopg://user@host/dbname"
        ) from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    elif parsed.get_backend_name() == "postgresql":
        kwargs["pool_pre_ping"] = True
        kwargs["connect_args"] = {"connect_timeout": 5}
    try:
        engine = create_engine(resolved, **kwargs)
    except (ArgumentError, ModuleNotFoundError, SQLAlchemyError) as exc:
        raise DatabaseError(
            f"cannot use database {redact(resolved)}: {exc}. Check DATABASE_URL "
            "(PostgreSQL needs the 'postgres' extra: pip install -e '.[postgres]')."
        ) from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def check_connection(engine: Engine) -> None:
    """Connect once; turn a driver error into one clear line."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(
            f"cannot connect to the database at {redact(str(engine.url))}: {reason}. "
            "Check DATABASE_URL and that the server is running."
        ) from None


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Migrate the database to the newest schema (every head, so parallel branches apply)."""
    from alembic import command

    check_connection(engine)
    command.upgrade(alembic_config(engine), "heads")


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str | None = None, *, migrate: bool = True) -> Engine:
    """The shared engine for ``url``, created and migrated once per process."""
    resolved = database_url(url)
    engine = _ENGINES.get(resolved)
    if engine is None:
        engine = make_engine(resolved)
        if migrate:
            upgrade(engine)
        _ENGINES[resolved] = engine
    return engine


def dispose_engines() -> None:
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
