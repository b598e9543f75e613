"""Set-up commands: init, demo, serve, db upgrade."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from campaigns.cli.common import console, store, user_errors

if TYPE_CHECKING:
    from campaigns.store import DemoPosts

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
APP_PATH = Path(__file__).resolve().parents[2] / "app.py"


@user_errors
def init(
    demo_if_empty: bool = typer.Option(
        False, "--demo-if-empty", help="Load the demo campaigns when the database has none."
    ),
) -> None:
    """Create or migrate the database and load the company registry."""
    from campaigns.store import campaign_count, load_demo, load_demo_posts

    engine = store()
    console.print(f"Database ready: {engine.url.render_as_string(hide_password=True)}")
    if demo_if_empty and campaign_count(engine) == 0:
        summary = load_demo(engine)
        console.print(f"Loaded the demo data: {summary.rows} demands.")
        _print_demo_posts(load_demo_posts(engine))


@user_errors
def demo() -> None:
    """Load the demo campaigns (real public campaigns, 2018-2024) and a dozen news posts about
    them, and run the linking engine so the Review page has suggestions. Safe to run twice."""
    from campaigns.store import load_demo, load_demo_posts

    engine = store()
    summary = load_demo(engine)
    console.print(f"Demo data: {summary.rows} demands read, {summary.changed} records changed.")
    _print_demo_posts(load_demo_posts(engine))


def _print_demo_posts(posts: DemoPosts) -> None:
    console.print(
        f"Demo posts: {posts.new_posts} new; the linking engine queued {posts.suggestions} "
        "suggestions (the Review page, or `campaigns review list`)."
    )


@user_errors
def serve(
    port: int = typer.Option(8501, help="Port for the dashboard."),
    headless: bool = typer.Option(True, help="Do not open a browser window."),
) -> None:
    """Start the dashboard (Streamlit) on http://localhost:PORT."""
    store()  # migrate before the first page loads, and fail here with a clear line if we can't
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP_PATH),
        "--server.port", str(port),
        "--server.headless", "true" if headless else "false",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    console.print(f"Dashboard on http://localhost:{port}")
    raise typer.Exit(subprocess.call(command, env=os.environ.copy()))


@db_app.command("upgrade")
@user_errors
def db_upgrade() -> None:
    """Migrate the database to the newest schema."""
    store()
    console.print("Database is at the newest schema.")
