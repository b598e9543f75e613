"""What the CLI's command modules share: the console, the store, error handling."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console, ConsoleDimensions
from sqlalchemy.engine import Engine

from campaigns.flatfile import FlatFileError
from db.engine import DatabaseError


class _CliConsole(Console):
    """A console whose width is read when it prints, not when it is made.

    ``COLUMNS`` wins when set; a terminal gives its own width; output that goes to a file or
    another program is 200 columns wide, so tables stay one line per row for grep and logs.
    """

    @property
    def size(self) -> ConsoleDimensions:
        measured = super().size
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return ConsoleDimensions(int(columns), measured.height)
        if self.is_terminal:
            return measured
        return ConsoleDimensions(200, measured.height)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        self._width, self._height = new_size


console = _CliConsole(soft_wrap=True)
err_console = _CliConsole(stderr=True, soft_wrap=True)

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
