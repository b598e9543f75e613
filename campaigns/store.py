"""Setting up a store: migrate, load the company registry, load the demo data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from campaigns.imports import ImportSummary, import_campaigns_csv
from campaigns.post_imports import PostImportSummary, import_posts_file
from campaigns.registry import sync_registry
from db.engine import get_engine, session_scope
from db.models import Campaign

DEMO_CSV = Path(__file__).resolve().parent / "data" / "demo_campaigns.csv"
# news reports about the demo's campaigns (and one campaign it lacks), written for the demo in
# our own words, each with the address of the real article it summarises
DEMO_POSTS = Path(__file__).resolve().parent / "data" / "demo_posts.jsonl"


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


@dataclass(frozen=True)
class DemoPosts:
    """What loading the demo's posts did: posts new to the store, suggestions queued."""

    new_posts: int
    suggestions: int


def load_demo_posts(engine: Engine) -> DemoPosts:
    """Store the demo's news posts and run the linking engine over the posts not read yet, so
    the Review page shows its suggestions: most answer a demo campaign's demand, one starts a
    campaign the demo lacks. Idempotent: posts already stored are skipped and nothing is
    suggested twice."""
    from campaigns.linking.suggest import link_posts

    imported: PostImportSummary = import_posts_file(engine, DEMO_POSTS)
    linked = link_posts(engine)
    return DemoPosts(imported.new, linked.suggestions_created)
