"""Linking commands: `campaigns link`, `campaigns review ...`, `campaigns eval`."""

from __future__ import annotations

import functools
import getpass
import json
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import typer
from rich.table import Table

from campaigns.cli.common import console, err_console, store, user_errors

review_app = typer.Typer(help="Review the engine's suggestions.", no_args_is_help=True)

P = ParamSpec("P")
R = TypeVar("R")


def review_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Print review and labelled-set errors as one line and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from campaigns.evaluation import LabelledSetError
        from campaigns.review import ReviewError

        try:
            return func(*args, **kwargs)
        except (ReviewError, LabelledSetError) as exc:
            err_console.print(f"[red]Error:[/red] {exc}", highlight=False)
            raise typer.Exit(1) from None

    return wrapper


def _reviewer(name: str | None) -> str:
    from campaigns.access import editor_actor

    try:
        return editor_actor(name or getpass.getuser())
    except ValueError as exc:
        err_console.print(f"[red]Error:[/red] --reviewer: {exc}", highlight=False)
        raise typer.Exit(1) from None


@user_errors
def link(
    limit: int = typer.Option(None, help="Read at most this many new posts."),
    again: bool = typer.Option(
        False,
        "--again",
        help="Read every post again (after editing the company registry or a new engine "
        "version): waiting suggestions no reviewer edited are proposed afresh; accepted, "
        "rejected and edited ones stay.",
    ),
) -> None:
    """Run the linking engine over posts not read yet and queue its suggestions (idempotent)."""
    from campaigns.linking.suggest import link_posts, relink_posts

    summary = relink_posts(store(), limit=limit) if again else link_posts(store(), limit=limit)
    roles = ", ".join(f"{n} {role}" for role, n in sorted((summary.by_role or {}).items()))
    if again:
        console.print(
            f"Forgot the engine's readings; {summary.suggestions_replaced} waiting suggestions "
            "will be proposed afresh."
        )
    console.print(
        f"Read {summary.posts_read} {'' if again else 'new '}posts; "
        f"{summary.suggestions_created} suggestions queued"
        + (f" ({roles})" if roles else "")
        + (f", {summary.suggestions_known} already known" if summary.suggestions_known else "")
        + ". Review them with `campaigns review list`."
    )
    if summary.unknown_employers:
        named = "; ".join(
            f"{name} ({count} post{'s' if count != 1 else ''})"
            for name, count in sorted(summary.unknown_employers.items())
        )
        console.print(
            "Posts that name an employer the company registry does not know got no company and "
            f"no suggestion: {named}. Add each with `campaigns companies add NAME`, then run "
            "`campaigns link --again`.",
            markup=False,
        )


@review_app.command("list")
@user_errors
def review_list(
    status: str = typer.Option("proposed", help="proposed, accepted, rejected or all."),
    min_score: float = typer.Option(None, "--min-score", help="Only suggestions scoring this."),
    role: str = typer.Option(None, help="Only this role: demand, action, response or outcome."),
    company: str = typer.Option(None, help="Only suggestions at this company (registry slug)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List suggestions, best first."""
    from campaigns.review import list_suggestions

    rows = list_suggestions(
        store(), status=None if status == "all" else status, min_score=min_score, role=role,
        company=company,
    )  # fmt: skip
    if as_json:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    table = Table(title=f"{len(rows)} suggestions")
    for column in ("id", "score", "role", "company", "campaign", "post", "why"):
        table.add_column(column)
    for row in rows:
        proposal = row["proposal"]
        table.add_row(
            str(row["id"]), f"{row['score']:.2f}", row["role"], str(proposal.get("company")),
            str(proposal.get("campaign", {}).get("title", ""))[:40],
            (row["post_text"] or "")[:60], "; ".join(row["reasons"][:2])[:80],
        )  # fmt: skip
    console.print(table, markup=False)


@review_app.command("accept")
@user_errors
@review_errors
def review_accept(
    ids: list[int] = typer.Argument(None, help="Suggestion ids."),
    all_: bool = typer.Option(False, "--all", help="Accept every proposed suggestion ..."),
    min_score: float = typer.Option(None, "--min-score", help="... scoring at least this."),
    reviewer: str = typer.Option(None, help="Your name for the audit log (default: login)."),
) -> None:
    """Accept suggestions: create or update the records, with the posts as evidence."""
    from campaigns.review import accept, accept_all

    actor = _reviewer(reviewer)
    if all_:
        if min_score is None:
            err_console.print("[red]Error:[/red] --all needs --min-score S (0 to 1).")
            raise typer.Exit(1)
        decisions = accept_all(store(), min_score=min_score, reviewer=actor)
    elif ids:
        decisions = accept(store(), list(ids), reviewer=actor)
    else:
        err_console.print("[red]Error:[/red] give suggestion ids, or --all --min-score S.")
        raise typer.Exit(1)
    for decision in decisions:
        console.print(f"accepted {decision.suggestion_id}: " + ", ".join(decision.records))
    console.print(f"{len(decisions)} suggestions accepted by {actor}.")


@review_app.command("reject")
@user_errors
@review_errors
def review_reject(
    ids: list[int] = typer.Argument(..., help="Suggestion ids."),
    reviewer: str = typer.Option(None, help="Your name for the audit log (default: login)."),
) -> None:
    """Reject suggestions; the engine will not propose them again."""
    from campaigns.review import reject

    decisions = reject(store(), list(ids), reviewer=_reviewer(reviewer))
    console.print(f"{len(decisions)} suggestions rejected.")


@review_app.command("edit")
@user_errors
@review_errors
def review_edit(
    suggestion_id: int = typer.Argument(..., help="Suggestion id."),
    role: str = typer.Option(None, help="demand, action, response, outcome or other."),
    company: str = typer.Option(None, help="Company slug."),
    business_unit: str = typer.Option(None, "--business-unit", help="Business unit."),
    demand_type: str = typer.Option(None, "--demand-type", help="Demand type."),
    response_type: str = typer.Option(None, "--response-type", help="Response type."),
    outcome: str = typer.Option(None, help="Outcome."),
    tactic: str = typer.Option(
        None, help='Tactic; "none" on a demand or an answer: its post reports no action.'
    ),
    campaign_title: str = typer.Option(None, "--campaign-title", help="Campaign title."),
    struggle: str = typer.Option(None, help="What the campaign is about (its struggle)."),
    demand_text: str = typer.Option(None, "--demand-text", help="Demand paraphrase."),
    one_demand: bool = typer.Option(
        False, "--one-demand", help="The post states one demand only, not the list it seemed to."
    ),
    summary: str = typer.Option(None, help="Response summary."),
    campaign: str = typer.Option(
        None,
        help="Id of a campaign in the store the post belongs to instead (an answer then "
        "answers its earliest demand; --demand picks another).",
    ),
    demand: str = typer.Option(
        None, help="Id of another demand the response or outcome answers (see its alternatives)."
    ),
    reviewer: str = typer.Option(None, help="Your name for the audit log (default: login)."),
) -> None:
    """Change a suggestion's codes or texts before accepting it."""
    from campaigns.review import MORE_DEMANDS, NONE, edit

    changes = {
        name: value
        for name, value in {
            "role": role,
            "company": company,
            "business_unit": business_unit,
            "demand_type": demand_type,
            "response_type": response_type,
            "outcome": outcome,
            "tactic": tactic,
            "campaign_title": campaign_title,
            "struggle": struggle,
            "demand_text": demand_text,
            "summary": summary,
            "campaign": campaign,  # before the demand: that is picked among the campaign's
            "demand": demand,
            MORE_DEMANDS: NONE if one_demand else None,
        }.items()
        if value is not None
    }
    if not changes:
        err_console.print("[red]Error:[/red] give at least one field to change, e.g. --outcome met")
        raise typer.Exit(1)
    proposal = edit(store(), suggestion_id, changes, reviewer=_reviewer(reviewer))
    typer.echo(json.dumps(proposal, indent=2, default=str))


def _struggle_cell(found: dict[str, float]) -> str:
    """The eval table's struggle cell: how many campaign posts' campaigns got the right one."""
    if not found["n"]:
        return "no campaign struggles labelled"
    return (
        f"{found['accuracy']:.3f} (n={found['n']:.0f}; {found['proposed']:.0%} proposed, "
        f"{found['accuracy_where_proposed']:.3f} of them right)"
    )


@user_errors
@review_errors
def eval(
    split: str = typer.Option("test", help="test (to report), dev (to tune) or train."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    out: Path = typer.Option(None, help="Also write the JSON to this file."),
    show_errors: bool = typer.Option(
        False, "--errors", help="List the posts read wrong instead (dev or train only)."
    ),
    file: Path = typer.Option(
        None,
        "--file",
        help="Score a labelled posts file of your own (tests/data/linking/FORMAT.md) instead.",
    ),
) -> None:
    """Measure the linking engine on the labelled set: roles, companies, links, outcomes."""
    from campaigns.evaluation import evaluate

    if show_errors:
        _print_errors(split, as_json, out, file)
        return
    report = evaluate(split, file=file)
    text = json.dumps(report, indent=2)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    if as_json:
        typer.echo(text)
        return
    role, link_ = report["role"], report["link"]
    scored = f"the {split} split" if file is None else str(file)
    table = Table(title=f"Linking engine {report['engine_version']} on {scored}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        ("posts", str(report["posts"])),
        ("role accuracy", f"{role['accuracy']:.3f}"),
        ("role macro-F1", f"{role['macro_f1']:.3f}"),
        ("company accuracy", f"{report['company']['accuracy']:.3f}"),
        ("company + unit accuracy", f"{report['company_and_unit']['accuracy']:.3f}"),
        ("link precision", f"{link_['precision']:.3f}"),
        ("link recall", f"{link_['recall']:.3f}"),
        ("link F1", f"{link_['f1']:.3f}"),
        ("link recall with alternatives", f"{report['link_recall_with_alternatives']:.3f}"),
        (
            "link F1, an action stating the demand counted",
            f"{report['link_stated_in_actions']['f1']:.3f}",
        ),
        ("campaign grouping F1 (B-cubed)", f"{report['campaign_grouping_bcubed']['f1']:.3f}"),
        (
            "outcome accuracy",
            f"{report['outcome']['accuracy']:.3f} (n={report['outcome']['n']:.0f})",
        ),
        ("response type accuracy", f"{report['response_type']['accuracy']:.3f}"),
        ("demand type accuracy", f"{report['demand_type']['accuracy']:.3f}"),
        ("tactic accuracy", f"{report['tactic']['accuracy']:.3f}"),
        ("campaign struggle accuracy", _struggle_cell(report["campaign_struggle"])),
        ("throughput (posts/s)", f"{report['throughput_posts_per_s']:.0f}"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    per_role = Table(title="Per role")
    for column in ("role", "precision", "recall", "F1", "n"):
        per_role.add_column(column, justify="right")
    for name, scores in role["per_role"].items():
        per_role.add_row(
            name, f"{scores['precision']:.2f}", f"{scores['recall']:.2f}", f"{scores['f1']:.2f}",
            f"{scores['support']:.0f}",
        )  # fmt: skip
    console.print(per_role)


def _print_errors(split: str, as_json: bool, out: Path | None, file: Path | None) -> None:
    """The posts of a split (or file) the engine reads wrong, each with what is wrong and its
    reasons."""
    from campaigns.evaluation import errors

    found = errors(split, file=file)
    text = json.dumps(found, indent=2, ensure_ascii=False)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    if as_json:
        typer.echo(text)
        return
    for error in found:
        # post text and reasons are shown as plain text, never as markup
        console.print(f"{error['post']}: " + "; ".join(error["problems"]), markup=False)
        console.print("  " + error["text"], markup=False, highlight=False)
        console.print("  engine: " + " | ".join(error["reasons"][:4]), markup=False)
    scored = f"the {split} split" if file is None else str(file)
    console.print(f"{len(found)} posts of {scored} read wrong", markup=False)
