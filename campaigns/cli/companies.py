"""`campaigns companies ...`: the company registry the linking engine matches posts against."""

from __future__ import annotations

import json

import typer
from rich.markup import escape
from rich.table import Table

from campaigns.cli.common import console, err_console, store, user_errors

companies_app = typer.Typer(
    help="The company registry the linking engine matches posts against.", no_args_is_help=True
)


@companies_app.command("add")
@user_errors
def add(
    name: str = typer.Argument(..., help="The company's name, e.g. 'Vodeo Games'."),
    alias: list[str] = typer.Option([], "--alias", help="Another name it goes by (repeat)."),
    unit: list[str] = typer.Option([], "--unit", help="A business unit's name (repeat)."),
    former_name: list[str] = typer.Option([], "--former-name", help="A name it had (repeat)."),
    parent: str = typer.Option(
        None, "--parent", help="Its parent (name or slug): its campaigns are coded at the parent."
    ),
) -> None:
    """Add a company, or more names for one already there; then `campaigns link --again`."""
    from campaigns.company_edits import CompanyEditError, add_company

    try:
        added = add_company(
            store(), name, aliases=alias, units=unit, former_names=former_name, parent=parent
        )
    except CompanyEditError as exc:
        err_console.print(f"[red]Error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(1) from None
    what = "Added company" if added.created else "Company"
    under = f", under {added.parent}" if added.parent else ""
    if not added.names_added and not added.parent:
        console.print(f"{what} {added.slug} ({added.name}): nothing new", markup=False)
        return
    names = ", ".join(added.names_added) or "no new names"
    console.print(
        f"{what} {added.slug} ({added.name}){under}: {names}. Run `campaigns link --again` "
        "so the posts already read are matched against it.",
        highlight=False,
        markup=False,
    )


@companies_app.command("list")
@user_errors
def list_(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List the companies with their parent and every name they go by."""
    from campaigns.company_edits import list_companies

    rows = list_companies(store())
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table("slug", "name", "parent", "names")
    for row in rows:
        table.add_row(
            str(row["slug"]),
            str(row["name"]),
            str(row["parent"] or ""),
            ", ".join(row["names"]),
        )
    console.print(table)
