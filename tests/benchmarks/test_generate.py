"""The synthetic benchmark data set: deterministic, and of the requested size and shape."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import col

from benchmarks import generate
from benchmarks.synthetic import Size, synthetic_posts, worker_groups
from db.engine import make_engine, upgrade
from db.models import Action, Campaign, Company, Demand, Evidence, Post, Response, Setting

SIZE = Size(posts=600, campaigns=60, seed=7)


def _store(path: Path, size: Size = SIZE) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    generate.populate(engine, size)
    return engine


def _dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    tables = {"post": Post, "campaign": Campaign, "demand": Demand, "action": Action}
    with engine.connect() as conn:
        return {
            name: [tuple(row) for row in conn.execute(select(model.__table__).order_by(model.__table__.c.id))]  # type: ignore[attr-defined]
            for name, model in tables.items()
        }  # fmt: skip


def test_the_same_size_and_seed_give_the_same_rows(tmp_path: Path) -> None:
    first, second = _store(tmp_path / "a.db"), _store(tmp_path / "b.db")
    assert _dump(first) == _dump(second)
    other = _store(tmp_path / "c.db", Size(SIZE.posts, SIZE.campaigns, seed=8))
    assert _dump(other)["post"] != _dump(first)["post"]


def test_the_store_has_the_requested_posts_and_campaigns(tmp_path: Path) -> None:
    engine = _store(tmp_path / "store.db")
    with engine.connect() as conn:

        def count(model: type) -> int:
            return int(conn.execute(select(func.count()).select_from(model)).scalar_one())

        assert count(Post) == SIZE.posts
        assert count(Campaign) == SIZE.campaigns
        # several demands, actions and responses per campaign, on average
        assert count(Demand) > SIZE.campaigns and count(Action) > SIZE.campaigns
        assert count(Response) > SIZE.campaigns // 2
        assert count(Evidence) >= count(Demand)
        marker = conn.execute(select(col(Setting.value)).where(col(Setting.key) == generate.MARKER))
        assert marker.scalar_one() == SIZE.key
        per_company = Counter(
            conn.execute(
                select(col(Company.slug)).join(
                    Campaign, col(Campaign.company_id) == col(Company.id)
                )
            ).scalars()
        )
    # skewed: the busiest company has several times the campaigns of the median one
    counts = sorted(per_company.values(), reverse=True)
    assert counts[0] >= 3 * counts[len(counts) // 2]


def test_post_texts_have_the_lengths_of_their_platforms() -> None:
    names = {"amazon": "Amazon", "google": "Google", "microsoft": "Microsoft"}
    size = Size(posts=2000, campaigns=50, seed=3)
    groups = worker_groups(size, list(names), names)
    posts = [post for _, post in synthetic_posts(size, groups, names)]
    assert len(posts) == 2000
    assert len({(p.platform, p.platform_post_id) for p in posts}) == 2000
    lengths: dict[str, list[int]] = {}
    for post in posts:
        lengths.setdefault(post.platform, []).append(len(post.text))
    assert max(lengths["x"]) <= 280
    assert max(lengths.get("bluesky", [0])) <= 300
    if "feed" in lengths:
        assert sum(lengths["feed"]) / len(lengths["feed"]) > 2 * sum(lengths["x"]) / len(
            lengths["x"]
        )


def test_a_cached_store_is_reused_and_an_unfinished_one_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generate, "STORES", tmp_path)
    size = Size(posts=50, campaigns=10, seed=1)
    url = generate.sqlite_store(size)
    path = tmp_path / f"{size.key}.db"
    stamp = path.stat().st_mtime_ns
    assert generate.sqlite_store(size) == url
    assert path.stat().st_mtime_ns == stamp
    (tmp_path / f"{size.key}.partial").write_bytes(b"half written")
    path.unlink()
    assert generate.sqlite_store(size) == url
    assert not (tmp_path / f"{size.key}.partial").exists()
