"""The `campaigns` command line: thin commands over importable functions."""

from __future__ import annotations

import typer

from campaigns.cli import backup as backup_cli
from campaigns.cli import core, data
from campaigns.cli import linking as linking_cli
from campaigns.cli import pull as pull_cli  # registers `import posts` and `import cat`
from campaigns.cli.common import import_app
from campaigns.cli.companies import companies_app
from campaigns.cli.editors import editors_app
from campaigns.cli.sources import sources_app
from connectors import redaction

redaction.install()  # secrets never reach a log line, whichever library writes it

app = typer.Typer(
    help="Follow employee-activism campaigns: demands, responses, outcomes, with evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
app.command()(core.init)
app.command()(core.demo)
app.command()(core.serve)
app.command()(data.export)
app.command()(data.stats)
app.command()(backup_cli.backup)
app.command()(backup_cli.restore)
app.add_typer(import_app, name="import")
app.command()(pull_cli.pull)
app.add_typer(sources_app, name="sources")
app.add_typer(companies_app, name="companies")
app.add_typer(core.db_app, name="db")
app.command()(linking_cli.link)
app.command(name="eval")(linking_cli.eval)
app.add_typer(linking_cli.review_app, name="review")
app.add_typer(editors_app, name="editors")
