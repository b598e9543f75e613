import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from db.engine import DatabaseError, get_engine, make_engine, upgrade


def test_unreachable_postgres_gives_one_clear_line() -> None:
    engine = make_engine("postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    with pytest.raises(DatabaseError) as info:
        upgrade(engine)
    message = str(info.value)
    assert "cannot connect" in message and "DATABASE_URL" in message
    assert "secret" not in message and "\n" not in message


def test_nonsense_url_is_refused_clearly() -> None:
    with pytest.raises(DatabaseError, match="not a database URL"):
        get_engine("not a url at all")


def test_sqlite_is_wal_with_foreign_keys(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000


def test_migrations_create_every_table(engine: Engine) -> None:
    from sqlmodel import SQLModel

    names = set(inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= names


def test_unknown_enum_value_is_refused_by_the_database(engine: Engine) -> None:
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO campaign (id, title, struggle, coded_by, review_status) "
                "VALUES ('c', 't', 'vibes', 'human:x', 'proposed')"
            )
        )


def test_duplicate_post_is_refused_by_the_database(engine: Engine) -> None:
    insert = text(
        "INSERT INTO post (platform, platform_post_id, text, posted_at_estimated) VALUES ('x', '1', '', false)"
    )
    with engine.begin() as conn:
        conn.execute(insert)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert)


def test_company_aliases_are_unique(engine: Engine) -> None:
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO company (slug, name) VALUES ('a1', 'A1'), ('a2', 'A2')"))
        conn.execute(
            text(
                "INSERT INTO company_alias (company_id, alias, kind) SELECT id, 'same name', 'alias' "
                "FROM company WHERE slug IN ('a1', 'a2')"
            )
        )


def test_upgrade_twice_is_harmless(engine: Engine) -> None:
    upgrade(engine)
    upgrade(engine)
