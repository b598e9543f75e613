"""Setting up a store: migrate, load the company registry, load the demo data."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from campaigns.imports import ImportSummary, import_campaigns_csv
from campaigns.registry import sync_registry
from db.engine import get_engine, session_scope
from db.models import Campaign

DEMO_CSV = Path(__file__).resolve().parent / "data" / "demo_campaigns.csv"


def open_store(url: str | None = None) -> Engine:
    """The engine for ``url`` (or ``DATABASE_URL``), migrated, with the company registry loaded."""
    engine = get_engine(url)
    with session_scope(engine) as session:
        sync_registry(session)
    return engine


def campaign_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Campaign)).scalar_one())


def load_demo(engine: Engine) -> ImportSummary:
    """Load the shipped demo campaigns (idempotent: a second load changes nothing)."""
    from campaigns.sources import add_demo_sources

    summary = import_campaigns_csv(engine, DEMO_CSV)
    add_demo_sources(engine)  # a few real accounts and feeds, switched off until wanted
    return summary
