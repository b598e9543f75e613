"""Data commands: import campaigns, export, stats."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from campaigns.cli.common import console, import_app, store, user_errors
from campaigns.filters import Filters


@import_app.command("campaigns")
@user_errors
def import_campaigns(
    file: Path = typer.Argument(..., help="CSV file, one row per demand (see README)."),
) -> None:
    """Import campaigns from a one-row-per-demand CSV (all or nothing; safe to re-run)."""
    from campaigns.imports import import_campaigns_csv

    summary = import_campaigns_csv(store(), file)
    console.print(f"Imported {summary.rows} rows from {file}: {summary.changed} records changed.")
    for record_type, changes in sorted(summary.changes.items()):
        console.print(
            f"  {record_type}: " + ", ".join(f"{n} {k}" for k, n in sorted(changes.items()))
        )


def filters_from_options(
    company: list[str] | None, struggle: list[str] | None, since: int | None, until: int | None
) -> Filters:
    return Filters(
        companies=tuple(company or ()),
        struggles=tuple(struggle or ()),
        year_from=since,
        year_to=until,
    )


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (use YYYY-MM-DD)", param_hint=option
        ) from None


@user_errors
def export(
    out: Path = typer.Option(None, "--out", help="Directory to write the bundle into."),
    zip_file: Path = typer.Option(None, "--zip", help="Write the bundle as one zip file."),
    company: list[str] = typer.Option(None, help="Company slug (parents include subsidiaries)."),
    struggle: list[str] = typer.Option(None, help="Struggle to keep."),
    since: int = typer.Option(None, help="First year (of a campaign's first demand)."),
    until: int = typer.Option(None, help="Last year."),
    as_of: str = typer.Option(
        None, "--as-of", help="Date of the export (YYYY-MM-DD; default today)."
    ),
) -> None:
    """Export the bundle: campaigns, demands, actions, responses, evidence, posts, codebook
    (CSV) and datapackage.json. Post authors who are people are pseudonymised."""
    from campaigns.exports import export_bundle, export_zip

    if out is None and zip_file is None:
        raise typer.BadParameter("give --out DIR, --zip FILE or both", param_hint="--out")
    filters = filters_from_options(company, struggle, since, until)
    day = _parse_day(as_of, "--as-of")
    engine = store()
    if out is not None:
        result = export_bundle(engine, out, filters, as_of=day)
        for name, rows in result.files.items():
            console.print(f"{out / name}: {rows} rows")
        console.print(f"{out / 'datapackage.json'}: descriptor (Frictionless)")
    if zip_file is not None:
        result = export_zip(engine, zip_file, filters, as_of=day)
        total = sum(result.files.values())
        console.print(f"{zip_file}: {len(result.files) + 1} files, {total} rows")


def _rate(row: dict[str, Any]) -> tuple[str, str]:
    rate = row.get("success_rate")
    low, high = row.get("success_ci_low"), row.get("success_ci_high")
    ci = f"{low:.2f}-{high:.2f}" if low is not None and high is not None else "-"
    return (f"{rate:.0%}" if rate is not None else "-"), ci


def _success_table(title: str, key: str, rows: list[dict[str, Any]]) -> Table:
    table = Table(title=title)
    for column in (key, "n", "won", "partial", "lost", "pending", "success rate", "95% CI"):
        table.add_column(column, justify="right" if column != key else "left")
    for row in rows:
        rate, ci = _rate(row)
        table.add_row(
            str(row[key]), str(row["decided"]), str(row["won"]), str(row["partial"]),
            str(row["lost"]), str(row["pending_excluded"]), rate, ci,
        )  # fmt: skip
    return table


def _days(value: float | None) -> str:
    return "not reached" if value is None else f"{value:g}"


@user_errors
def stats(
    company: list[str] = typer.Option(None, help="Company slug (parents include subsidiaries)."),
    struggle: list[str] = typer.Option(None, help="Struggle to keep."),
    since: int = typer.Option(None, help="First year."),
    until: int = typer.Option(None, help="Last year."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    as_of: str = typer.Option(
        None, "--as-of", help="Censor pending demands at this date (YYYY-MM-DD; default today)."
    ),
) -> None:
    """Success rates (Wilson 95% CI) by year, company, struggle, tactic and demand type; time to
    response and outcome (Kaplan–Meier); retaliation. Pending is never counted as failure."""
    from campaigns.reports import stats_report

    report = stats_report(
        store(),
        filters_from_options(company, struggle, since, until),
        as_of=_parse_day(as_of, "--as-of"),
    )
    if as_json:
        typer.echo(json.dumps(report, indent=2, default=str))
        return
    console.print(
        "In the store: " + ", ".join(f"{n} {name}" for name, n in report["counts"].items())
    )
    selected = report["selected"]
    active = "; ".join(
        f"{key}={','.join(map(str, value)) if isinstance(value, list) else value}"
        for key, value in report["filters"].items()
        if value not in (None, [], "")
    )
    console.print(
        f"Selected ({active or 'no filters'}): "
        f"{selected['campaigns']} campaigns, {selected['demands']} demands"
    )
    overall = {**report["overall"], "year": "all"}
    console.print(
        _success_table(
            "Success by year of first demand (n = decided; pending left out of the rate)",
            "year",
            [*report["by_year"], overall],
        )
    )
    for key, title in (
        ("company", "Success by company"),
        ("struggle", "Success by struggle"),
        ("tactic", "Success by tactic (a campaign counts once per tactic)"),
        ("demand_type", "Success by demand type (counted over demands)"),
    ):
        console.print(_success_table(title, key, report[f"by_{key}"]))
    survival = Table(title=f"Days to first response and to outcome (censored at {report['as_of']})")
    for column in ("event", "n", "events", "censored", "unknown left out", "median", "95% CI"):
        survival.add_column(column, justify="right")
    for key in ("time_to_response", "time_to_outcome"):
        row = report[key]
        survival.add_row(
            row["event"], str(row["n"]), str(row["events"]), str(row["censored"]),
            str(row["unknown_excluded"]), _days(row["median_days"]),
            f"{_days(row['median_ci_low'])}-{_days(row['median_ci_high'])}",
        )  # fmt: skip
    console.print(survival)
    retaliation = report["retaliation"]
    share = retaliation["share"]
    console.print(
        f"Retaliation: {retaliation['with_retaliation']} of {retaliation['n']} campaigns "
        f"where it is known ({share:.0%}, 95% CI {retaliation['ci_low']:.2f}-"
        f"{retaliation['ci_high']:.2f}); {retaliation['unknown_excluded']} not known."
        if share is not None
        else "Retaliation: not recorded for any campaign."
    )
