"""Fixtures for connector tests: a clock that only moves when the runner 'sleeps'."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from campaigns.sources import add_source
from db.models import Post, Quarantine, SyncState
from db.types import utcnow


class FakeClock:
    """Starts at the real time (client libraries compare resets with it) and never sleeps."""

    def __init__(self) -> None:
        self.now = utcnow().replace(microsecond=0)
        self.sleeps: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_source(engine: Engine, platform: str, handle: str, **options: object) -> int:
    source = add_source(
        engine, platform, handle, kind="worker_group", owner="Test workers", options=dict(options)
    )
    assert source.id is not None
    return source.id


def stored_posts(engine: Engine) -> dict[str, Post]:
    with Session(engine) as session:
        return {p.platform_post_id: p for p in session.execute(select(Post)).scalars()}


def sync_state(engine: Engine, source_id: int) -> SyncState:
    with Session(engine) as session:
        state = session.get(SyncState, source_id)
        assert state is not None
        return state


def quarantined(engine: Engine) -> list[Quarantine]:
    with Session(engine) as session:
        return list(session.execute(select(Quarantine)).scalars())
