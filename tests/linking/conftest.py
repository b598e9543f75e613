"""Fixtures shared by the linking tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from campaigns.linking.engine import LinkingEngine
from db.engine import dispose_engines


@pytest.fixture(scope="module")
def linker() -> LinkingEngine:
    """The engine as shipped: the registry and the models fitted on the train split."""
    return LinkingEngine()


@pytest.fixture
def cli_store(db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The test database as the CLI's: DATABASE_URL names it for the commands run in the test."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    yield engine
    dispose_engines()
