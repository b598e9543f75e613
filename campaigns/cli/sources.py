"""`campaigns sources ...`: the accounts and feeds a pull follows."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.table import Table

from campaigns.cli.common import console, err_console, store, user_errors

sources_app = typer.Typer(help="Accounts and feeds to follow.", no_args_is_help=True)

P = ParamSpec("P")
R = TypeVar("R")


def source_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Print a bad handle, URL or unknown source as one line and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from campaigns.post_imports import PostFileError
        from campaigns.sources import SourceError

        try:
            return func(*args, **kwargs)
        except PostFileError:
            raise
        except (SourceError, LookupError, FileNotFoundError, ValueError) as exc:
            err_console.print(f"[red]Error:[/red] {exc}", highlight=False)
            raise typer.Exit(1) from None

    return wrapper


@sources_app.command("add")
@user_errors
@source_errors
def add(
    platform: str = typer.Argument(..., help="x, bluesky, mastodon or feed."),
    handle: str = typer.Argument(..., help="Handle (name, user@server) or feed URL."),
    owner: str = typer.Option(None, "--owner", help="Worker group or company speaking."),
    kind: str = typer.Option("worker_group", "--kind", help="worker_group, company or news."),
    employer: str = typer.Option(
        None,
        "--employer",
        help="A worker group's employer: the company of its posts that name none.",
    ),
    fetch_articles: bool = typer.Option(
        False, "--fetch-articles", help="Feeds: fetch each article's page for its full text."
    ),
    include_reposts: bool = typer.Option(
        False, "--include-reposts", help="Also keep reposts/boosts/retweets of others' posts."
    ),
    inactive: bool = typer.Option(False, "--inactive", help="Add it switched off."),
    allow_private: bool = typer.Option(
        False,
        "--allow-private",
        help="Allow a feed or server on this machine or a private network (e.g. an intranet).",
    ),
) -> None:
    """Add an account or feed to follow (checked: feeds must be http(s) URLs)."""
    from campaigns.sources import add_source

    options = {}
    if fetch_articles:
        options["fetch_articles"] = True
    if include_reposts:
        options["include_reposts"] = True
    if allow_private:
        options["allow_private"] = True
    source = add_source(
        store(),
        platform,
        handle,
        kind=kind,
        owner=owner,
        active=not inactive,
        options=options,
        employer=employer,
    )
    console.print(f"Added source {source.id}: {source.platform} {source.handle} ({source.kind})")


@sources_app.command("list")
@user_errors
def list_() -> None:
    """List sources with their last success, last error and posts collected."""
    from campaigns.sources import list_sources

    rows = list_sources(store())
    if not rows:
        console.print("No sources yet: add one with `campaigns sources add PLATFORM HANDLE`.")
        return
    table = Table(title="Sources")
    for column in ("id", "platform", "handle", "kind", "owner", "active", "posts", "last success", "last error"):  # fmt: skip
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            str(row.id), row.platform, row.handle, row.kind, row.owner or "-",
            "yes" if row.active else "no", str(row.posts_collected),
            f"{row.last_success_at:%Y-%m-%d %H:%M}" if row.last_success_at else "never",
            (row.last_error or "")[:120],
        )  # fmt: skip
    console.print(table)


@sources_app.command("remove")
@user_errors
@source_errors
def remove(
    ref: str = typer.Argument(..., help="Source id (see `sources list`) or handle."),
) -> None:
    """Stop following a source; the posts it collected stay."""
    from campaigns.sources import remove_source

    source = remove_source(store(), ref)
    console.print(f"Removed source {source.id}: {source.platform} {source.handle}")


@sources_app.command("activate")
@user_errors
@source_errors
def activate(ref: str = typer.Argument(..., help="Source id or handle.")) -> None:
    """Switch a source on for `campaigns pull`."""
    from campaigns.sources import set_active

    set_active(store(), ref, True)
    console.print(f"Source {ref} is active.")


@sources_app.command("deactivate")
@user_errors
@source_errors
def deactivate(ref: str = typer.Argument(..., help="Source id or handle.")) -> None:
    """Switch a source off (kept, with its posts and sync state)."""
    from campaigns.sources import set_active

    set_active(store(), ref, False)
    console.print(f"Source {ref} is inactive.")


@sources_app.command("set-employer")
@user_errors
@source_errors
def set_employer(
    ref: str = typer.Argument(..., help="Source id or handle of a worker group's source."),
    company: str = typer.Argument(None, help="The company its members work at."),
    clear: bool = typer.Option(False, "--clear", help="The group has no employer any more."),
) -> None:
    """Set (or with --clear remove) the employer of the worker group that owns a source: the
    company the linking engine gives its posts that name none."""
    from campaigns.sources import set_employer as set_group_employer

    if clear == bool(company):
        err_console.print("[red]Error:[/red] give a COMPANY, or --clear (not both)")
        raise typer.Exit(2)
    group, employer, sources = set_group_employer(store(), ref, None if clear else company)
    held = f"its {sources} sources are" if sources > 1 else "its source is"
    if employer is None:
        console.print(f"{group} has no employer now ({held}).")
    else:
        console.print(f"{group} works at {employer}: {held} read as about it.")
    console.print("Posts already read keep their reading: run `campaigns link --again`.")
