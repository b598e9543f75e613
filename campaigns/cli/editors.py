"""`campaigns editors ...`: set up who may edit in the dashboard."""

from __future__ import annotations

import sys

import typer

from campaigns.cli.common import console, err_console, store, user_errors

editors_app = typer.Typer(help="Editor sign-in for the dashboard.", no_args_is_help=True)


@editors_app.command("set-passphrase")
@user_errors
def set_passphrase(
    passphrase_stdin: bool = typer.Option(
        False, "--passphrase-stdin", help="Read the passphrase from standard input (for scripts)."
    ),
) -> None:
    """Set the editor passphrase (only its argon2 hash is stored); prompts with hidden input."""
    from campaigns.access import PassphraseError
    from campaigns.access import set_passphrase as store_passphrase

    if passphrase_stdin:
        passphrase = sys.stdin.readline().rstrip("\r\n")
    else:
        passphrase = typer.prompt("Editor passphrase", hide_input=True, confirmation_prompt=True)
    try:
        store_passphrase(store(), passphrase)
    except PassphraseError as exc:
        err_console.print(f"[red]Not set:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    console.print(
        "Editor passphrase set. Editors sign in on the dashboard's Edit page "
        "(OpenID Connect in Streamlit secrets, when configured, takes precedence)."
    )
