"""Backups of the store and restoring them, without ever leaving a half-written database.

SQLite: the online backup API copies a consistent snapshot while others read and write. A
restore first copies the backup into a temporary file beside the store and checks it
(``PRAGMA integrity_check``, our schema present); only then is it copied into the store in one
SQLite transaction (the backup API again), so readers see either the old or the new data and a
crash leaves the old data. Replacing the file with ``os.replace`` would be unsafe here: in WAL
mode the old store's ``-wal`` file would be replayed onto the new one.

PostgreSQL: ``pg_dump -Fc`` and ``pg_restore --clean --if-exists --single-transaction``; the
password travels in ``PGPASSWORD``, never on the command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, Engine

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
PG_TIMEOUT_SECONDS = 3600


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the store is unchanged."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    backend: str
    size_bytes: int


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(
            f"cannot back up or restore the SQLite database {database or '(in memory)'!r}: "
            "use a database file (DATABASE_URL=sqlite:///path/to/campaigns.db)"
        )
    return Path(database)


def _check_sqlite_file(path: Path, label: str) -> None:
    """Raise unless ``path`` is an intact SQLite database holding the tracker's schema."""
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BackupError(f"{label} is not an SQLite database; nothing was restored")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            has_schema = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"{label} cannot be read as SQLite ({exc}); nothing was restored"
        ) from None
    if problems != ["ok"]:
        raise BackupError(
            f"{label} failed the integrity check ({'; '.join(problems[:3])}); nothing was restored"
        )
    if not has_schema:
        raise BackupError(
            f"{label} is an SQLite database but not a campaign tracker store; nothing was restored"
        )


def _temp_beside(path: Path, suffix: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    return Path(name)


def _sqlite_backup(engine: Engine, dest: Path) -> None:
    source = _sqlite_path(engine)
    if dest.exists() and source.exists() and dest.resolve() == source.resolve():
        raise BackupError(f"{dest} is the database itself; choose another file for the backup")
    temp = _temp_beside(dest, ".tmp")
    try:
        src_conn = sqlite3.connect(source)
        dst_conn = sqlite3.connect(temp)
        try:
            src_conn.execute("PRAGMA busy_timeout=30000")
            src_conn.backup(dst_conn)
            # A backup is one self-contained file: no -wal beside it.
            dst_conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst_conn.close()
            src_conn.close()
        _check_sqlite_file(temp, f"the new backup {dest}")
        os.replace(temp, dest)
    finally:
        temp.unlink(missing_ok=True)


def _sqlite_restore(engine: Engine, backup: Path) -> None:
    _check_sqlite_file(backup, str(backup))
    target = _sqlite_path(engine)
    temp = _temp_beside(target, ".restore")
    try:
        shutil.copyfile(backup, temp)
        _check_sqlite_file(temp, f"the copy of {backup}")
        src_conn = sqlite3.connect(temp)
        dst_conn = sqlite3.connect(target)
        try:
            dst_conn.execute("PRAGMA busy_timeout=30000")
            # One step (pages=-1) is one transaction on the store: all of the backup or nothing.
            src_conn.backup(dst_conn, pages=-1)
            problems = [row[0] for row in dst_conn.execute("PRAGMA integrity_check")]
        finally:
            dst_conn.close()
            src_conn.close()
        if problems != ["ok"]:
            raise BackupError(
                f"the restored store {target} failed the integrity check: {'; '.join(problems[:3])}"
            )
    finally:
        temp.unlink(missing_ok=True)
    engine.dispose()  # pooled connections may cache the old schema


def _pg_env_and_dsn(url: URL) -> tuple[dict[str, str], str]:
    """A libpq connection URL without the password, and an environment carrying it."""
    env = os.environ.copy()
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return env, dsn


def _run_pg_tool(command: list[str], env: dict[str, str], what: str) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} is not installed; install the PostgreSQL client tools "
            f"(e.g. apt-get install postgresql-client) to {what}"
        )
    try:
        done = subprocess.run(
            command,
            env=env,
            capture_output=True,
            text=True,
            timeout=PG_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BackupError(f"{tool} did not finish within {PG_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        detail = " ".join(done.stderr.strip().splitlines()[-3:]) or f"exit code {done.returncode}"
        raise BackupError(f"{tool} failed to {what}: {detail}")


def _pg_backup(engine: Engine, dest: Path) -> None:
    env, dsn = _pg_env_and_dsn(engine.url)
    temp = _temp_beside(dest, ".tmp")
    try:
        _run_pg_tool(
            ["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(temp), "-d", dsn],
            env,
            "back up the database",
        )
        os.replace(temp, dest)
    finally:
        temp.unlink(missing_ok=True)


def _pg_restore(engine: Engine, backup: Path) -> None:
    env, dsn = _pg_env_and_dsn(engine.url)
    engine.dispose()  # our own idle connections would hold locks on the tables being replaced
    command = [
        "pg_restore", "--clean", "--if-exists", "--single-transaction", "--no-owner",
        "--no-privileges", "--exit-on-error", "-d", dsn, str(backup),
    ]  # fmt: skip
    _run_pg_tool(
        command,
        env,
        f"restore {backup} (the database is unchanged: the restore runs in one transaction)",
    )


def _backup_kind(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"cannot read the backup {path}: {exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{path} is neither an SQLite backup nor a pg_dump archive; nothing was restored"
    )


def backup_store(engine: Engine, dest: Path) -> BackupResult:
    """Write a consistent backup of the store to ``dest`` (replaced only once complete)."""
    backend = engine.dialect.name
    if backend == "sqlite":
        _sqlite_backup(engine, dest)
    elif backend == "postgresql":
        _pg_backup(engine, dest)
    else:
        raise BackupError(f"backups of {backend} databases are not supported")
    return BackupResult(dest, backend, dest.stat().st_size)


def restore_store(engine: Engine, backup: Path) -> BackupResult:
    """Replace the store's contents with ``backup``, all or nothing."""
    backend = engine.dialect.name
    kind = _backup_kind(backup)
    if kind != backend:
        raise BackupError(
            f"{backup} is a {kind} backup but the database is {backend}; "
            f"restore it into a {kind} database (set DATABASE_URL)"
        )
    if backend == "sqlite":
        _sqlite_restore(engine, backup)
    else:
        _pg_restore(engine, backup)
    return BackupResult(backup, backend, backup.stat().st_size)
