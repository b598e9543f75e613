"""`campaigns link`, `campaigns review ...` and `campaigns eval` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from campaigns.cli import app
from tests.linking.helpers import PARLER, insert_posts, read_jsonl

runner = CliRunner()


def test_link_list_edit_accept_and_reject_from_the_command_line(cli_store: Engine) -> None:
    insert_posts(cli_store, read_jsonl(PARLER))
    result = runner.invoke(app, ["link"])
    assert result.exit_code == 0, result.output
    assert "Read 2 new posts; 2 suggestions queued" in result.output
    again = runner.invoke(app, ["link"])
    assert "Read 0 new posts; 0 suggestions queued" in again.output

    listed = json.loads(runner.invoke(app, ["review", "list", "--json"]).output)
    assert {row["role"] for row in listed} == {"demand", "response"}
    response = next(row for row in listed if row["role"] == "response")
    demand = next(row for row in listed if row["role"] == "demand")

    bad = runner.invoke(app, ["review", "edit", str(response["id"]), "--outcome", "won"])
    assert bad.exit_code == 1 and "outcome must be one of" in bad.output
    edited = runner.invoke(
        app, ["review", "edit", str(response["id"]), "--summary", "AWS suspended Parler."]
    )
    assert edited.exit_code == 0 and "AWS suspended Parler." in edited.output

    accepted = runner.invoke(app, ["review", "accept", str(demand["id"]), "--reviewer", "Ana Lima"])
    assert accepted.exit_code == 0, accepted.output
    assert "accepted by human:Ana Lima" in accepted.output
    rejected = runner.invoke(app, ["review", "reject", str(response["id"]), "--reviewer", "Ana"])
    assert rejected.exit_code == 0 and "1 suggestions rejected" in rejected.output
    twice = runner.invoke(app, ["review", "reject", str(response["id"]), "--reviewer", "Ana"])
    assert twice.exit_code == 1 and "rejected already" in twice.output
    left = json.loads(runner.invoke(app, ["review", "list", "--json"]).output)
    assert left == []


def test_review_list_narrowed_to_one_company(cli_store: Engine) -> None:
    insert_posts(cli_store, read_jsonl(PARLER))
    runner.invoke(app, ["link"])
    amazon = json.loads(
        runner.invoke(app, ["review", "list", "--company", "amazon", "--json"]).output
    )
    assert len(amazon) == 2 and {r["proposal"]["company"] for r in amazon} == {"amazon"}
    google = runner.invoke(app, ["review", "list", "--company", "google", "--json"])
    assert json.loads(google.output) == []


def test_accept_all_needs_a_minimum_score(cli_store: Engine) -> None:
    result = runner.invoke(app, ["review", "accept", "--all"])
    assert result.exit_code == 1 and "--min-score" in result.output
    insert_posts(cli_store, read_jsonl(PARLER))
    runner.invoke(app, ["link"])
    result = runner.invoke(app, ["review", "accept", "--all", "--min-score", "0.2"])
    assert result.exit_code == 0 and "2 suggestions accepted" in result.output


def test_eval_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "eval.json"
    result = runner.invoke(app, ["eval", "--split", "dev", "--out", str(out)])
    assert result.exit_code == 0, result.output
    for measure in ("role macro-F1", "company accuracy", "link F1", "outcome accuracy", "posts/s"):
        assert measure in result.output
    report = json.loads(out.read_text())
    assert report["split"] == "dev" and report["posts"] > 0


def test_eval_errors_lists_exactly_the_posts_the_measures_count_wrong() -> None:
    result = runner.invoke(app, ["eval", "--split", "dev", "--errors", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    report = json.loads(runner.invoke(app, ["eval", "--split", "dev", "--json"]).output)
    posts = report["posts"]

    def count(kind: str) -> int:
        return sum(any(p.startswith(kind) for p in error["problems"]) for error in found)

    assert count("role ") == round((1 - report["role"]["accuracy"]) * posts)
    assert count("company ") == round((1 - report["company"]["accuracy"]) * posts)
    # a wrong link is a false positive, a false negative, or both (linked to another demand)
    fp, fn = report["link"]["false_positives"], report["link"]["false_negatives"]
    assert max(fp, fn) <= count("linked ") <= fp + fn
    assert all(error["text"] and error["reasons"] for error in found)


def test_eval_errors_of_the_held_out_test_split_are_refused() -> None:
    result = runner.invoke(app, ["eval", "--split", "test", "--errors"])
    assert result.exit_code == 1 and "held out" in result.output


def test_eval_of_an_unknown_split_is_a_clear_error() -> None:
    result = runner.invoke(app, ["eval", "--split", "holdout"])
    assert result.exit_code == 1 and "unknown split 'holdout'" in result.output


def test_eval_scores_a_labelled_file_and_lists_its_errors(tmp_path: Path) -> None:
    rows = read_jsonl(PARLER)
    labels = [
        {"role": "demand", "company": "amazon", "campaign": "c", "demand": "c-d1"},
        {"role": "other", "company": "amazon", "campaign": None, "demand": None},
    ]
    path = tmp_path / "mine.jsonl"
    path.write_text(
        "".join(
            json.dumps({**row, "label": label}) + "\n"
            for row, label in zip(rows, labels, strict=True)
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["eval", "--file", str(path)])
    assert result.exit_code == 0, result.output
    assert "mine.jsonl" in result.output and "role accuracy" in result.output
    result = runner.invoke(app, ["eval", "--file", str(path), "--errors", "--json"])
    (error,) = json.loads(result.output)
    # read as the response it is, it answers a demand the label says it does not
    assert error["problems"] == [
        "role response, labelled other",
        "linked to demand c-d1, labelled None",
    ]


def test_eval_errors_of_the_test_file_are_refused_however_named() -> None:
    from campaigns.evaluation import LABELLED_DIR

    result = runner.invoke(
        app, ["eval", "--errors", "--file", str(LABELLED_DIR / "posts_test.jsonl")]
    )
    assert result.exit_code == 1 and "held out" in result.output
