"""The behaviours every connector must show, run per platform over its recorded responses.

Each platform's test module subclasses :class:`PlatformScenarios` with its double; every test
runs on SQLite and PostgreSQL (the ``engine`` fixture).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from connectors.base import Connector
from connectors.runner import RetryPolicy, SourceResult, pull_source
from tests.connectors.conftest import (
    FakeClock,
    make_source,
    quarantined,
    stored_posts,
    sync_state,
)
from tests.connectors.doubles import Double, Reply


def with_half_a_character(item: Any) -> Any:
    """The item with half of an emoji after "Post 2" (a lone surrogate, as a platform that cuts
    a text in the middle of a character sends it): escaped in JSON, a character reference in a
    feed."""
    if isinstance(item, str):
        return item.replace("Post 2", "Post 2 &#xD83D;", 1)
    return json.loads(json.dumps(item).replace("Post 2", "Post 2 \\ud83d", 1))


class PlatformScenarios:
    double: Double
    # how half of a character in one post ends: "post quarantined" (a lone surrogate, which no
    # UTF-8 store holds: the post goes to quarantine, the rest are kept), "replaced" (a feed's
    # reference to one reads as U+FFFD, as HTML parsers read it) or "page unreadable" (atproto's
    # JSON parser refuses the response: the page is quarantined whole, as any unreadable one;
    # atproto records are UTF-8, so Bluesky cannot send one)
    half_character = "post quarantined"

    def pull(
        self, engine: Engine, source_id: int, replies: list[Reply], tmp_path: Path, clock: FakeClock
    ) -> SourceResult:
        with self.double.serve(replies, tmp_path) as connector:
            return self.run(engine, source_id, connector, clock)

    def run(
        self, engine: Engine, source_id: int, connector: Connector, clock: FakeClock
    ) -> SourceResult:
        return pull_source(
            engine, source_id, connector, policy=RetryPolicy(), sleeper=clock.sleep, clock=clock
        )

    def source(self, engine: Engine) -> int:
        return make_source(engine, self.double.platform, self.double.handle)

    def test_first_pull_stores_every_post_and_marks_success(self, engine, tmp_path, clock):
        d = self.double
        source_id = self.source(engine)
        result = self.pull(engine, source_id, d.pass_replies(d.pages_of([[2, 1]])), tmp_path, clock)
        assert (result.status, result.new, result.duplicates) == ("ok", 2, 0), result.error
        posts = stored_posts(engine)
        assert set(posts) == {d.key(1), d.key(2)}
        post = posts[d.key(2)]
        assert post.source_id == source_id and post.platform == d.platform
        assert "Post 2" in post.text and post.raw
        assert post.posted_at is not None and post.posted_at.year == 2024
        assert not post.posted_at_estimated
        state = sync_state(engine, source_id)
        assert state.last_success_at is not None and state.last_error is None
        assert state.posts_collected == 2 and state.resume_cursor is None
        assert state.high_water_mark is not None
        assert clock.sleeps == []

    def test_incremental_pull_asks_only_for_newer_posts(self, engine, tmp_path, clock):
        d = self.double
        source_id = self.source(engine)
        first = self.pull(engine, source_id, d.pass_replies(d.pages_of([[2, 1]])), tmp_path, clock)
        assert first.new == 2
        # The replies check that the second pass sends the mark of the first one.
        second = self.pull(
            engine, source_id, d.pass_replies(d.pages_of([[3]]), previous_newest=2), tmp_path, clock
        )
        assert second.status == "ok", second.error
        assert second.new == 1
        assert set(stored_posts(engine)) == {d.key(1), d.key(2), d.key(3)}
        assert sync_state(engine, source_id).posts_collected == 3

    def test_second_page_is_followed_with_the_cursor(self, engine, tmp_path, clock):
        d = self.double
        source_id = self.source(engine)
        pages = d.pages_of(d.two_pages())
        result = self.pull(engine, source_id, d.pass_replies(pages), tmp_path, clock)
        assert result.status == "ok", result.error
        assert result.new == 4 and result.pages >= 2
        assert set(stored_posts(engine)) == {d.key(n) for n in (1, 2, 3, 4)}
        assert sync_state(engine, source_id).resume_cursor is None

    def test_empty_page_succeeds_with_nothing_stored(self, engine, tmp_path, clock):
        d = self.double
        source_id = self.source(engine)
        result = self.pull(engine, source_id, d.pass_replies([[]]), tmp_path, clock)
        assert (result.status, result.new) == ("ok", 0), result.error
        assert stored_posts(engine) == {}
        assert sync_state(engine, source_id).last_success_at is not None

    def test_429_with_near_reset_is_waited_out(self, engine, tmp_path, clock):
        d = self.double
        source_id = self.source(engine)
        reset = clock.now + timedelta(seconds=30)
        limited = d.error(429, d.rate_limit_headers(reset))
        replies = limited + d.pass_replies(d.pages_of([[1]]))[len(limited) - 1 :]
        result = self.pull(engine, source_id, replies, tmp_path, clock)
        assert result.status == "ok", result.error
        assert result.new == 1
        assert len(clock.sleeps) == 1 and 25 <= clock.sleeps[0] <= 40

    def test_429_with_far_reset_skips_the_source_until_then(self, engine, tmp_path, clock):
        d = self.double
        source_id = self.source(engine)
        reset = clock.now + timedelta(hours=2)
        result = self.pull(
            engine, source_id, d.error(429, d.rate_limit_headers(reset)), tmp_path, clock
        )
        assert result.status == "rate_limited"
        state = sync_state(engine, source_id)
        assert state.backoff_until is not None
        assert abs((state.backoff_until - reset).total_seconds()) <= 1
        assert state.consecutive_failures == 1 and "rate limited" in (state.last_error or "")
        # Until the reset, a pull makes no request at all (an empty replay would fail on one).
        again = self.pull(engine, source_id, [], tmp_path, clock)
        assert again.status == "waiting" and again.next_allowed_at == state.backoff_until

    def test_500_then_success_retries_with_backoff(self, engine, tmp_path, clock):
        d = self.double
        source_id = self.source(engine)
        failing = d.error(500)
        replies = failing + d.pass_replies(d.pages_of([[2, 1]]))[len(failing) - 1 :]
        result = self.pull(engine, source_id, replies, tmp_path, clock)
        assert result.status == "ok", result.error
        assert result.new == 2
        assert clock.sleeps == [RetryPolicy().base_delay]

    def test_401_marks_the_source_with_a_clear_error(self, engine, tmp_path, clock):
        d = self.double
        source_id = self.source(engine)
        result = self.pull(engine, source_id, d.error(401), tmp_path, clock)
        assert result.status == "failed"
        state = sync_state(engine, source_id)
        assert "401" in (state.last_error or "") and d.handle in (state.last_error or "")
        assert state.consecutive_failures == 1 and state.last_success_at is None
        assert stored_posts(engine) == {} and clock.sleeps == []

    def test_malformed_payload_is_quarantined_and_cursor_kept(self, engine, tmp_path, clock):
        d = self.double
        source_id = self.source(engine)
        result = self.pull(engine, source_id, d.malformed(), tmp_path, clock)
        assert result.status == "failed" and "unreadable" in (result.error or "")
        kept = quarantined(engine)
        assert len(kept) == 1 and kept[0].source_id == source_id and kept[0].raw
        state = sync_state(engine, source_id)
        assert state.resume_cursor is None and state.high_water_mark is None
        assert stored_posts(engine) == {}

    def test_half_a_character_is_named_and_the_rest_kept(self, engine, tmp_path, clock):
        d = self.double
        source_id = self.source(engine)
        page = [d.post(3), with_half_a_character(d.post(2)), d.post(1)]
        result = self.pull(engine, source_id, d.pass_replies([page]), tmp_path, clock)
        texts = [p.text for p in stored_posts(engine).values()]
        if self.half_character == "page unreadable":
            assert result.status == "failed" and "not JSON" in (result.error or "")
            (kept,) = quarantined(engine)
            assert "\\ud83d" in kept.raw and texts == []
            return
        assert result.status == "ok", result.error
        if self.half_character == "replaced":
            assert (result.new, result.quarantined) == (3, 0)
            assert any(t.startswith("Post 2 \ufffd") for t in texts), texts
        else:
            assert (result.new, result.quarantined) == (2, 1)
            (kept,) = quarantined(engine)
            assert "half of a character" in kept.error and "U+D83D" in kept.error
            assert "\\ud83d" in kept.raw  # the payload kept as it came, escaped
            assert not any("Post 2" in t for t in texts)

    def test_post_missing_optional_fields_and_a_broken_item(self, engine, tmp_path, clock):
        d = self.double
        source_id = self.source(engine)
        page = [d.post(3), d.bare_post(2), d.broken_post(), d.post(1)]
        result = self.pull(engine, source_id, d.pass_replies([page]), tmp_path, clock)
        assert result.status == "ok", result.error
        assert (result.new, result.quarantined) == (3, 1)
        bare = [p for p in stored_posts(engine).values() if "Post 2" in p.text]
        assert len(bare) == 1 and bare[0].posted_at is not None
        assert bare[0].lang in (None, "en")
        kept = quarantined(engine)
        assert len(kept) == 1 and kept[0].error and kept[0].raw
