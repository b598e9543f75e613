"""`campaigns pull` and the post/archive importers (`campaigns import posts|cat`)."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from campaigns.cli.common import console, import_app, store, user_errors
from campaigns.cli.sources import source_errors
from connectors.base import Sleeper
from connectors.runner import RetryPolicy, SourceResult
from connectors.settings import ConnectorSettings


def runtime() -> tuple[ConnectorSettings, Sleeper]:
    """How the connectors reach the network, and how the runner sleeps (tests replace this)."""
    return ConnectorSettings.from_env(), time.sleep


def summary_table(results: list[SourceResult]) -> Table:
    """The per-source summary printed after a pull."""
    table = Table(title="Pull summary")
    for column in ("source", "status", "pages", "new", "duplicates", "quarantined", "error / next allowed"):  # fmt: skip
        table.add_column(column, overflow="fold")
    for r in results:
        note = r.error or ""
        if r.next_allowed_at is not None and "next" not in note:
            note += f" (next allowed {r.next_allowed_at:%Y-%m-%d %H:%M} UTC)"
        style = {"ok": "green", "waiting": "yellow"}.get(r.status, "red")
        table.add_row(
            f"{r.source_id} {r.label}", f"[{style}]{r.status}[/{style}]", str(r.pages),
            str(r.new), str(r.duplicates), str(r.quarantined), note,
        )  # fmt: skip
    return table


@user_errors
@source_errors
def pull(
    source: list[str] = typer.Option(
        None, "--source", help="Source id or handle (repeatable); default: every active source."
    ),
    max_pages: int = typer.Option(
        50, help="Pages per source per run (the rest waits for next run)."
    ),
) -> None:
    """Pull new posts from every active source; exit 0 all ok, 1 some failed, 2 none succeeded."""
    from campaigns.sources import find_source_id
    from connectors.runner import exit_code, pull_all, sources_to_pull
    from connectors.settings import build_connectors

    engine = store()
    ids = [find_source_id(engine, ref) for ref in source] if source else None
    chosen = sources_to_pull(engine, ids)
    if not chosen:
        console.print(
            "No active sources to pull. Add one with `campaigns sources add` "
            "or switch one on with `campaigns sources activate ID`."
        )
        return
    settings, sleeper = runtime()
    connectors = build_connectors(settings)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        task = progress.add_task("Pulling", total=len(chosen))
        started: list[int] = []

        def on_source(source_id: int) -> None:
            if started:
                progress.advance(task)
            started.append(source_id)
            progress.update(task, description=f"Pulling source {source_id}")

        def on_page(result: SourceResult) -> None:
            progress.update(
                task, description=f"Pulling {result.label}: {result.pages} pages, {result.new} new"
            )

        results = pull_all(
            engine,
            connectors,
            source_ids=chosen,
            policy=RetryPolicy(max_pages=max_pages),
            sleeper=sleeper,
            on_source=on_source,
            on_page=on_page,
        )
        progress.update(task, completed=len(chosen), description="Done")
    console.print(summary_table(results))
    code = exit_code(results)
    new = sum(r.new for r in results)
    ok = sum(r.status == "ok" for r in results)
    console.print(f"{new} new posts; {ok} of {len(results)} sources succeeded.")
    if code:
        raise typer.Exit(code)


@import_app.command("posts")
@user_errors
@source_errors
def import_posts(
    file: Path = typer.Argument(..., help="JSONL: one post a line (see README), or twarc2 output."),
) -> None:
    """Import posts from a JSONL file (all or nothing; safe to re-run)."""
    from campaigns.post_imports import import_posts_file

    summary = import_posts_file(store(), file)
    console.print(
        f"Imported {file}: {summary.lines} lines, {summary.posts} posts, "
        f"{summary.new} new, {summary.duplicates} already there."
    )


@import_app.command("cat")
@user_errors
@source_errors
def import_cat(
    file: Path = typer.Argument(..., help="actions.json of the Collective Action in Tech archive."),
) -> None:
    """Import the Collective Action in Tech archive as campaigns, actions and evidence."""
    from campaigns.cat_import import import_cat_archive

    summary = import_cat_archive(store(), file)
    console.print(
        f"Read {summary.records} records from {file}: {summary.changed} records changed "
        f"({summary.without_company} without a company)."
    )
    for record_type, changes in sorted(summary.changes.items()):
        console.print(
            f"  {record_type}: " + ", ".join(f"{n} {k}" for k, n in sorted(changes.items()))
        )
