"""A post's echoes are the same whether its run links everything at once or day by day."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from campaigns.evaluation import LABELLED_DIR, load_split
from campaigns.linking import context as echo_context
from campaigns.linking import suggest
from campaigns.linking.engine import LinkingEngine
from campaigns.linking.suggest import link_posts
from campaigns.post_imports import import_posts_file
from db.engine import session_scope
from db.models import LinkedPost, Post


def test_reading_in_two_runs_equals_reading_in_one(linker: LinkingEngine) -> None:
    posts = sorted(
        (item.post for item in load_split("dev")),
        key=lambda p: (p.posted_at.timestamp() if p.posted_at else 0.0, p.key),
    )
    whole = linker.analyse_many(posts)
    half = len(posts) // 2
    first = linker.analyse_many(posts[:half])
    second = linker.analyse_many(posts[half:], first)
    assert [link.role_scores for link in first + second] == [link.role_scores for link in whole]
    assert any(link.named_company != link.company for link in whole) or all(
        link.named_company for link in whole if link.company
    )


def test_a_later_run_reads_every_earlier_post_with_the_company_it_names(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_posts_file(engine, LABELLED_DIR / "posts_dev.jsonl")
    link_posts(engine)
    monkeypatch.setattr(suggest, "MAX_EARLIER", 3)
    with session_scope(engine) as session:
        linked = session.execute(
            select(LinkedPost, Post).join(Post, Post.id == LinkedPost.post_id)  # type: ignore[arg-type]
        ).all()
        named = {lp.post_id: lp.named_company for lp, _ in linked}
        assert any(lp.role == "other" for lp, _ in linked)
        assert sum(1 for value in named.values() if value) > len(named) // 3
        start = max(p.posted_at for _, p in linked if p.posted_at is not None)
        earlier = suggest._earlier(session, start)
    assert {link.role for link in earlier} >= {"other"}  # not only campaign posts
    window = [
        (p.posted_at, p.id, lp.named_company)
        for lp, p in linked
        if p.posted_at is not None
        and start - timedelta(days=echo_context.WINDOW_DAYS) <= p.posted_at < start
    ]
    window.sort(reverse=True, key=lambda row: (row[0], row[1]))
    expected = {post_id for _, post_id, _ in window[:3]}
    for company in {row[2] for row in window}:
        expected |= set([post_id for _, post_id, c in window if c == company][:3])
    assert {int(link.post.key) for link in earlier} == expected
    assert echo_context.MAX_EARLIER == 300  # the engine's own bound is untouched
