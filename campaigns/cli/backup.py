"""Backup commands: backup FILE, restore FILE."""

from __future__ import annotations

from pathlib import Path

import typer

from campaigns.cli.common import console, err_console, store, user_errors


@user_errors
def backup(
    file: Path = typer.Argument(..., help="Backup file to write (replaced only when complete)."),
) -> None:
    """Back up the database to FILE (SQLite online backup, or pg_dump for PostgreSQL)."""
    from campaigns.backup import BackupError, backup_store

    try:
        result = backup_store(store(), file)
    except BackupError as exc:
        err_console.print(f"Backup failed: {exc}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    console.print(f"Backed up the {result.backend} database to {file} ({result.size_bytes} bytes).")


@user_errors
def restore(
    file: Path = typer.Argument(..., help="A file written by `campaigns backup`."),
) -> None:
    """Replace the database's contents with the backup in FILE (all or nothing)."""
    from campaigns.backup import BackupError, restore_store

    try:
        result = restore_store(store(), file)
    except BackupError as exc:
        err_console.print(f"Restore failed: {exc}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    console.print(f"Restored the {result.backend} database from {file}.")
