"""What the CLI's command modules share: the console, the store, error handling."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from sqlalchemy.engine import Engine

from campaigns.flatfile import FlatFileError
from db.engine import DatabaseError

# Output that goes to a file or another program is not wrapped at 80 columns: tables stay one
# line per row, so scripts and logs can grep them.
_WIDTH = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "0") or 0) or 200
console = Console(soft_wrap=True, width=_WIDTH)
err_console = Console(stderr=True, soft_wrap=True, width=_WIDTH)

P = ParamSpec("P")
R = TypeVar("R")

# Sub-commands of `campaigns import`; each command module adds its own.
import_app = typer.Typer(
    help="Import campaigns, posts or archives from files.", no_args_is_help=True
)


def store() -> Engine:
    from campaigns.store import open_store

    return open_store()


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Print errors a user can fix as plain messages (no traceback) and exit non-zero."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except DatabaseError as exc:
            err_console.print(f"[red]Database error:[/red] {exc}", highlight=False)
            raise typer.Exit(2) from None
        except FlatFileError as exc:
            err_console.print(exc.render(), highlight=False, markup=False)
            raise typer.Exit(1) from None

    return wrapper
