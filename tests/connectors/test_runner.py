"""The shared runner: paging guards, one source's failure not stopping others, exit codes."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.base import AccessDenied, Page, Position, PostIn, SourceRef, TransientError
from connectors.runner import (
    RetryPolicy,
    SourceResult,
    exit_code,
    pull_all,
    pull_source,
)
from tests.connectors.conftest import make_source, stored_posts, sync_state


class ScriptedConnector:
    """A connector whose pages (or errors) are given in advance; records positions asked for."""

    platform = "feed"

    def __init__(self, script: list[Page | Exception]) -> None:
        self.script = list(script)
        self.positions: list[Position | None] = []

    def fetch_page(self, source: SourceRef, position: Position | None) -> Page:
        self.positions.append(position)
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step

    def normalize(self, raw: dict[str, Any]) -> PostIn:
        return PostIn(platform="feed", platform_post_id=raw["id"], text=raw["text"])


def page(ids: list[str], next_position: Position | None) -> Page:
    return Page([{"id": i, "text": f"text {i}"} for i in ids], next_position, high_water_mark="hw")


def test_repeated_cursor_ends_paging_instead_of_looping(engine, clock):
    source_id = make_source(engine, "feed", "https://example.org/a.xml")
    connector = ScriptedConnector(
        [page(["a"], {"c": 1}), page(["b"], {"c": 2}), page(["c"], {"c": 1})]
    )
    result = pull_source(engine, source_id, connector, sleeper=clock.sleep, clock=clock)
    assert result.status == "ok" and result.pages == 3
    assert connector.positions == [None, {"c": 1}, {"c": 2}]
    state = sync_state(engine, source_id)
    assert state.resume_cursor is None and state.high_water_mark == "hw"


def test_page_cap_leaves_the_cursor_for_the_next_run(engine, clock):
    source_id = make_source(engine, "feed", "https://example.org/a.xml")
    connector = ScriptedConnector([page(["a"], {"c": 1}), page(["b"], {"c": 2})])
    policy = RetryPolicy(max_pages=2)
    pull_source(engine, source_id, connector, policy=policy, sleeper=clock.sleep, clock=clock)
    assert sync_state(engine, source_id).resume_cursor == '{"c": 2}'
    rerun = ScriptedConnector([page(["c"], None)])
    pull_source(engine, source_id, rerun, policy=policy, sleeper=clock.sleep, clock=clock)
    assert rerun.positions == [{"c": 2}]
    assert set(stored_posts(engine)) == {"a", "b", "c"}


def test_transient_errors_give_up_after_the_policy_attempts(engine, clock):
    source_id = make_source(engine, "feed", "https://example.org/a.xml")
    connector = ScriptedConnector([TransientError("HTTP 503")] * 4)
    result = pull_source(engine, source_id, connector, sleeper=clock.sleep, clock=clock)
    assert result.status == "failed" and "gave up after 4 tries" in (result.error or "")
    assert clock.sleeps == [2.0, 4.0, 8.0]


def test_one_failing_source_does_not_stop_the_others(engine, clock):
    bad = make_source(engine, "feed", "https://example.org/gone.xml")
    good = make_source(engine, "feed", "https://example.org/ok.xml")

    class PerSource(ScriptedConnector):
        def fetch_page(self, source: SourceRef, position: Position | None) -> Page:
            if source.id == bad:
                raise AccessDenied("HTTP 404 not found", 404)
            return page(["p1"], None)

    results = pull_all(engine, {"feed": PerSource([])}, sleeper=clock.sleep, clock=clock)
    assert [(r.source_id, r.status) for r in results] == [(bad, "failed"), (good, "ok")]
    assert exit_code(results) == 1
    assert "404" in (sync_state(engine, bad).last_error or "")


def test_unexpected_exception_is_recorded_as_that_sources_failure(engine, clock):
    source_id = make_source(engine, "feed", "https://example.org/a.xml")
    connector = ScriptedConnector([RuntimeError("boom")])
    result = pull_source(engine, source_id, connector, sleeper=clock.sleep, clock=clock)
    assert result.status == "failed" and "RuntimeError: boom" in (result.error or "")


@pytest.mark.parametrize(
    ("statuses", "code"),
    [
        (["ok", "ok"], 0),
        (["ok", "waiting"], 0),
        (["ok", "failed"], 1),
        (["rate_limited", "ok"], 1),
        (["failed", "rate_limited"], 2),
        ([], 0),
    ],
)
def test_exit_code_says_all_some_or_none(statuses, code):
    results = [SourceResult(i, "feed", "h", status=s) for i, s in enumerate(statuses)]
    assert exit_code(results) == code
