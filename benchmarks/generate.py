"""Write a deterministic synthetic data set into a store, and cache stores by size and seed.

    .venv/bin/python benchmarks/generate.py --posts 1000000 --campaigns 100000
    .venv/bin/python benchmarks/generate.py --posts 1000 --campaigns 100 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Posts go in through the project's own ingest path (``db.bulk.post_rows`` + ``insert_posts``,
one transaction per page, as ``campaigns pull`` does); coded records through SQLAlchemy Core
executemany. SQLite stores are cached as ``benchmarks/out/stores/<key>.db``; PostgreSQL stores as
a database ``bench_<key>`` on the given server. A store is only used once it is complete.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Table, select  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from sqlmodel import col  # noqa: E402

from benchmarks.synthetic import (  # noqa: E402
    FETCHED_AT,
    Group,
    Size,
    coded_rows,
    ordered_companies,
    synthetic_posts,
    worker_groups,
)
from campaigns.registry import sync_registry  # noqa: E402
from db.bulk import insert_posts, post_rows  # noqa: E402
from db.engine import make_engine, session_scope, upgrade  # noqa: E402
from db.models import (  # noqa: E402
    Action,
    Campaign,
    Company,
    Demand,
    Evidence,
    Organization,
    Response,
    ResponseDemand,
    Setting,
    Source,
)

OUT = ROOT / "benchmarks" / "out"
STORES = OUT / "stores"
MARKER = "benchmark_store"
PAGE = 5_000
TABLES: dict[str, Table] = {
    "campaign": Campaign.__table__,  # type: ignore[attr-defined]
    "demand": Demand.__table__,  # type: ignore[attr-defined]
    "action": Action.__table__,  # type: ignore[attr-defined]
    "response": Response.__table__,  # type: ignore[attr-defined]
    "response_demand": ResponseDemand.__table__,  # type: ignore[attr-defined]
    "evidence": Evidence.__table__,  # type: ignore[attr-defined]
}


def registry_names(engine: Engine) -> tuple[list[str], dict[str, int], dict[str, str]]:
    """(slugs in skew order, slug -> id, slug -> name) of the registry's companies."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(col(Company.slug), col(Company.id), col(Company.name)).order_by(col(Company.id))
        ).all()
    return (
        ordered_companies([r[0] for r in rows]),
        {r[0]: int(r[1] or 0) for r in rows},
        {r[0]: r[2] for r in rows},
    )


def write_groups(
    engine: Engine, groups: list[Group], company_ids: dict[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    """Organizations and their sources; returns (group slug -> id, source handle -> id)."""
    org_table: Table = Organization.__table__  # type: ignore[attr-defined]
    source_table: Table = Source.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(
            org_table.insert(),
            [
                {
                    "slug": g.slug,
                    "name": g.name,
                    "employer_id": company_ids[g.company],
                    "website": None,
                }
                for g in groups
            ],
        )
        group_ids = {
            slug: int(i or 0)
            for slug, i in conn.execute(select(col(Organization.slug), col(Organization.id)))
        }
        conn.execute(
            source_table.insert(),
            [
                {"platform": p, "handle": h, "kind": "worker_group", "owner_organization_id": group_ids[g.slug],
                 "owner_company_id": None, "active": True, "options": {}, "created_at": FETCHED_AT}
                for g in groups for p, h in g.handles
            ],
        )  # fmt: skip
        source_ids = {
            h: int(i or 0) for i, h in conn.execute(select(col(Source.id), col(Source.handle)))
        }
    return group_ids, source_ids


def write_posts(
    engine: Engine,
    size: Size,
    groups: list[Group],
    names: dict[str, str],
    source_ids: dict[str, int],
) -> int:
    """Posts through the project's ingest path, one transaction per page; returns posts stored."""
    stored = 0
    page: list[tuple[str, object]] = []

    def flush() -> None:
        nonlocal stored
        rows = post_rows([p for _, p in page], fetched_at=FETCHED_AT, source_kind="worker_group")  # type: ignore[misc]
        for row, (handle, _) in zip(rows, page, strict=True):
            row["source_id"] = source_ids[handle]
        with session_scope(engine) as session:
            stored += insert_posts(session.connection(), rows).new
        page.clear()

    for item in synthetic_posts(size, groups, names):
        page.append(item)
        if len(page) >= PAGE:
            flush()
    if page:
        flush()
    return stored


def populate(engine: Engine, size: Size, *, log: bool = False) -> dict[str, int]:
    """Fill a migrated, empty store with the data set of ``size``; returns row counts."""
    started = time.perf_counter()
    with session_scope(engine) as session:
        sync_registry(session)
    companies, company_ids, names = registry_names(engine)
    groups = worker_groups(size, companies, names)
    group_ids, source_ids = write_groups(engine, groups, company_ids)
    counts = {"organization": len(groups), "source": len(source_ids)}
    counts["post"] = write_posts(engine, size, groups, names, source_ids)
    if log:
        print(f"  posts: {counts['post']} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    tables = coded_rows(size, companies, company_ids, names, group_ids, groups, counts["post"])
    with engine.begin() as conn:
        for name, rows in tables.items():
            for start in range(0, len(rows), 20_000):
                conn.execute(TABLES[name].insert(), rows[start : start + 20_000])
            counts[name] = len(rows)
        conn.execute(Setting.__table__.insert(), [{"key": MARKER, "value": size.key}])  # type: ignore[attr-defined]
    if log:
        print(f"  all rows in {time.perf_counter() - started:.1f}s: {counts}", file=sys.stderr)
    return counts


def _complete(engine: Engine, size: Size) -> bool:
    try:
        with engine.connect() as conn:
            value = conn.execute(
                select(col(Setting.value)).where(col(Setting.key) == MARKER)
            ).scalar()
    except Exception:
        return False
    return value == size.key


def sqlite_store(size: Size, *, log: bool = False) -> str:
    """The URL of the cached SQLite store of ``size``, generated first when missing."""
    STORES.mkdir(parents=True, exist_ok=True)
    path = STORES / f"{size.key}.db"
    url = f"sqlite:///{path}"
    if path.exists():
        engine = make_engine(url)
        try:
            if _complete(engine, size):
                upgrade(engine)  # newer migrations (indexes) apply to cached stores too
                return url
        finally:
            engine.dispose()
    partial = path.with_suffix(".partial")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"), path):
        stale.unlink(missing_ok=True)
    if log:
        print(f"generating {path.name} ...", file=sys.stderr)
    engine = make_engine(f"sqlite:///{partial}")
    upgrade(engine)
    populate(engine, size, log=log)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    partial.rename(path)
    return url


def postgres_store(size: Size, server_url: str, *, log: bool = False) -> str:
    """The URL of database ``bench_<key>`` on the server of ``server_url``, generated when missing."""
    import psycopg

    name = "bench_" + size.key.replace("-", "_")
    admin = make_url(server_url).set(drivername="postgresql")
    url = (
        make_url(server_url)
        .set(drivername="postgresql+psycopg", database=name)
        .render_as_string(hide_password=False)
    )
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    if exists:
        engine = make_engine(url)
        try:
            if _complete(engine, size):
                upgrade(engine)
                return url
        finally:
            engine.dispose()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    if log:
        print(f"generating database {name} ...", file=sys.stderr)
    engine = make_engine(url)
    upgrade(engine)
    populate(engine, size, log=log)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    return url


def store_url(size: Size, database_url: str | None = None, *, log: bool = False) -> str:
    """A complete store of ``size``: cached SQLite file, or a database on ``database_url``'s server."""
    if database_url and make_url(database_url).get_backend_name() == "postgresql":
        return postgres_store(size, database_url, log=log)
    return sqlite_store(size, log=log)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--campaigns", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args(argv)
    size = Size(args.posts, args.campaigns, args.seed)
    started = time.perf_counter()
    url = store_url(size, args.database_url, log=True)
    print(
        f"{make_url(url).render_as_string(hide_password=True)} ({time.perf_counter() - started:.1f}s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
