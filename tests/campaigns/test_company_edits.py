"""`campaigns companies add`: a company added to the store's registry is matched by the linking
engine from the next run; a name another company goes by is refused and nothing is half-added."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from campaigns.cli import app
from campaigns.company_edits import CompanyEditError, add_company, list_companies
from campaigns.linking.suggest import link_posts, relink_posts
from campaigns.review import list_suggestions
from db.models import Company, CompanyAlias
from tests.linking.helpers import insert_posts
from tests.linking.test_relink import VODEO


def _aliases(engine: Engine, slug: str) -> set[str]:
    with Session(engine) as session:
        company = session.exec(select(Company).where(Company.slug == slug)).one()
        found = session.exec(select(CompanyAlias).where(CompanyAlias.company_id == company.id))
        return {a.alias for a in found}


def test_an_added_company_is_matched_when_the_posts_are_read_again(engine: Engine) -> None:
    insert_posts(engine, [VODEO])
    link_posts(engine)
    assert list_suggestions(engine) == []
    added = add_company(engine, "Vodeo Games", aliases=["Vodeo"])
    assert added.created and added.slug == "vodeo-games"
    relink_posts(engine)
    (row,) = list_suggestions(engine)
    assert row["proposal"]["company"] == "vodeo-games"


def test_more_names_for_a_company_already_there(engine: Engine) -> None:
    added = add_company(engine, "Twitch", aliases=["Twitch.tv"])
    assert not added.created and added.names_added == ("twitch tv",)
    assert "twitch tv" in _aliases(engine, "twitch")
    assert add_company(engine, "Twitch", aliases=["Twitch.tv"]).names_added == ()


def test_a_studio_under_its_parent(engine: Engine) -> None:
    """Roundhouse Studios is a ZeniMax studio: the engine codes it as a unit of the group."""
    added = add_company(engine, "Roundhouse Studios", aliases=["Roundhouse"], parent="ZeniMax")
    assert added.parent == "zenimax-media"
    (row,) = [r for r in list_companies(engine) if r["slug"] == "roundhouse-studios"]
    assert row["parent"] == "zenimax-media" and row["names"] == ["roundhouse", "roundhouse studios"]


def test_a_name_another_company_goes_by_is_refused_and_nothing_is_written(
    engine: Engine,
) -> None:
    with pytest.raises(CompanyEditError, match="'AWS' already names Amazon Web Services"):
        add_company(engine, "Vodeo Games", aliases=["Vodeo", "AWS"])
    assert "vodeo-games" not in {row["slug"] for row in list_companies(engine)}
    with pytest.raises(CompanyEditError, match="no company called 'Nowhere Inc'"):
        add_company(engine, "Vodeo Games", parent="Nowhere Inc")
    with pytest.raises(CompanyEditError, match="needs a name"):
        add_company(engine, "  ?! ")
    with pytest.raises(CompanyEditError, match="cannot be its own parent"):
        add_company(engine, "Twitch", parent="twitch")


def test_companies_on_the_command_line(engine: Engine, db_url: str) -> None:
    env = {"DATABASE_URL": db_url}
    runner = CliRunner()
    result = runner.invoke(app, ["companies", "add", "Vodeo Games", "--alias", "Vodeo"], env=env)
    assert result.exit_code == 0, result.output
    assert "Added company vodeo-games (Vodeo Games): vodeo games, vodeo." in result.output
    result = runner.invoke(app, ["companies", "add", "[b]X[/b]", "--alias", "AWS"], env=env)
    assert result.exit_code == 1
    assert "'AWS' already names Amazon Web Services (aws)" in result.output
    result = runner.invoke(app, ["companies", "list", "--json"], env=env)
    assert result.exit_code == 0
    assert '"slug": "vodeo-games"' in result.output
