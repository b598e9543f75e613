"""A post that names no company takes the company its tracked source speaks for: a company's own
account, or a worker group whose employer was given (`sources add … --employer`). A company the
text names still wins."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from campaigns.cli import app
from campaigns.linking.suggest import link_posts
from campaigns.review import list_suggestions
from campaigns.sources import SourceError, add_source, list_sources
from tests.linking.helpers import insert_posts, post_row

# The Alphabet Workers Union-CWA (Local 9009) posts often name no company: the employer is understood
# (https://alphabetworkersunion.org/), written here in our own words.
WALKOUT = post_row(
    "1700000000000000001",
    "Hundreds of us walked out at noon today and rallied at the front entrance.",
    "2023-02-01T15:00:00+00:00",
    author_handle="cwa_local_9009",
)
ELSEWHERE = post_row(
    "1700000000000000002",
    "Solidarity with the Amazon workers in Staten Island who walked out today over safety.",
    "2023-02-02T15:00:00+00:00",
    author_handle="cwa_local_9009",
)
# Kickstarter's staff union, 2019-2020 (https://www.nytimes.com/2020/02/18/business/kickstarter-union.html);
# the company's reply posted on an account whose handle names no company.
REPLY = post_row(
    "1700000000000000003",
    "We've decided that we will not voluntarily recognize the union. We have read the letter "
    "from staff and respect their right to organize.",
    "2019-09-23T18:00:00+00:00",
    kind="company",
    author_handle="ks_updates",
)


def _suggested_companies(engine: Engine) -> dict[str, str | None]:
    return {row["role"]: row["proposal"]["company"] for row in list_suggestions(engine)}


def test_a_worker_groups_post_takes_its_employer(engine: Engine) -> None:
    source = add_source(
        engine, "x", "cwa_local_9009", kind="worker_group", owner="AWU", employer="Google"
    )
    insert_posts(engine, [{**WALKOUT, "source_id": source.id}])
    link_posts(engine)
    (row,) = list_suggestions(engine)
    assert row["role"] == "action" and row["proposal"]["company"] == "google"
    assert "the source that posted it speaks for it" in " ".join(row["reasons"])
    (listed,) = list_sources(engine)
    assert listed.owner == "AWU (at Google)"


def test_without_an_employer_the_post_gets_no_company(engine: Engine) -> None:
    source = add_source(engine, "x", "cwa_local_9009", kind="worker_group", owner="AWU")
    insert_posts(engine, [{**WALKOUT, "source_id": source.id}])
    link_posts(engine)
    assert list_suggestions(engine) == []


def test_the_company_the_text_names_wins(engine: Engine) -> None:
    source = add_source(
        engine, "x", "cwa_local_9009", kind="worker_group", owner="AWU", employer="Google"
    )
    insert_posts(engine, [{**ELSEWHERE, "source_id": source.id}])
    link_posts(engine)
    assert set(_suggested_companies(engine).values()) <= {"amazon"}


def test_a_companys_own_account_speaks_for_it(engine: Engine) -> None:
    source = add_source(engine, "x", "ks_updates", kind="company", owner="Kickstarter")
    insert_posts(engine, [{**REPLY, "source_id": source.id}])
    link_posts(engine)
    (row,) = list_suggestions(engine)
    assert row["role"] == "response" and row["proposal"]["company"] == "kickstarter"


def test_an_employer_needs_a_known_company_and_a_worker_group(engine: Engine) -> None:
    with pytest.raises(SourceError, match="no company called 'Nowhere Inc'"):
        add_source(engine, "x", "a", kind="worker_group", owner="G", employer="Nowhere Inc")
    with pytest.raises(SourceError, match="is for a worker group's source"):
        add_source(engine, "x", "b", kind="news", owner="Paper", employer="Google")
    with pytest.raises(SourceError, match="give its --owner too"):
        add_source(engine, "x", "c", kind="worker_group", employer="Google")


def test_employer_on_the_command_line(engine: Engine, db_url: str) -> None:
    args = ["sources", "add", "x", "cwa_local_9009", "--owner", "AWU", "--employer", "Google"]
    result = CliRunner().invoke(app, args, env={"DATABASE_URL": db_url})
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(
        app,
        [*args[:3], "other", "--owner", "X", "--employer", "Nowhere"],
        env={"DATABASE_URL": db_url},
    )
    assert result.exit_code == 1 and "no company called 'Nowhere'" in result.output


def test_an_employer_set_on_a_source_already_followed(engine: Engine, db_url: str) -> None:
    """`sources set-employer` on a source added without one; `link --again` reads its posts anew."""
    env = {"DATABASE_URL": db_url}
    source = add_source(engine, "x", "cwa_local_9009", kind="worker_group", owner="AWU")
    add_source(engine, "bluesky", "awu.bsky.social", kind="worker_group", owner="AWU")
    insert_posts(engine, [{**WALKOUT, "source_id": source.id}])
    link_posts(engine)
    assert list_suggestions(engine) == []

    result = CliRunner().invoke(
        app, ["sources", "set-employer", "cwa_local_9009", "Google"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "AWU works at Google: its 2 sources are read as about it" in result.output
    assert "link --again" in result.output
    assert {row.owner for row in list_sources(engine)} == {"AWU (at Google)"}
    result = CliRunner().invoke(app, ["link", "--again"], env=env)
    assert result.exit_code == 0, result.output
    assert _suggested_companies(engine) == {"action": "google"}

    result = CliRunner().invoke(
        app, ["sources", "set-employer", str(source.id), "--clear"], env=env
    )
    assert result.exit_code == 0 and "AWU has no employer now" in result.output
    assert {row.owner for row in list_sources(engine)} == {"AWU"}


def test_set_employer_refuses_what_it_cannot_do(engine: Engine, db_url: str) -> None:
    env = {"DATABASE_URL": db_url}
    add_source(engine, "x", "cwa_local_9009", kind="worker_group", owner="AWU")
    add_source(engine, "x", "thepaper", kind="news", owner="The Paper")
    add_source(engine, "x", "nobody", kind="worker_group")

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, ["sources", "set-employer", *args], env=env)
        return result.exit_code, " ".join(result.output.split())

    code, output = run("cwa_local_9009", "Nowhere Inc")
    assert code == 1 and "no company called 'Nowhere Inc'" in output
    for handle in ("thepaper", "nobody"):
        code, output = run(handle, "Google")
        assert code == 1 and "is not a worker group's source with an owner" in output
    code, output = run("no_such_source", "Google")
    assert code == 1 and "no source 'no_such_source'" in output
    assert run("cwa_local_9009")[0] == 2
    assert run("cwa_local_9009", "Google", "--clear")[0] == 2
    assert {row.owner for row in list_sources(engine)} == {"AWU", "The Paper", None}
