"""A pull run in a child process by the crash test: Bluesky pages served from memory.

``python -m tests.connectors.crash_pull DB_URL SOURCE_ID MODE`` where MODE is ``complete``,
``hang-in-request`` (block while asking for page 3) or ``hang-in-transaction`` (block after
page 3's posts are inserted, before its commit). It prints a line per event so the parent
knows when to kill it; blocking is the child waiting to be killed, never a test sleeping.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

import httpx

import connectors.runner as runner
from connectors.bluesky import BlueskyConnector
from db.engine import make_engine
from tests.connectors.platforms import BlueskyDouble

PAGES = 5
PER_PAGE = 3
HANG_AT = 3


def page_body(index: int, double: BlueskyDouble) -> dict[str, Any]:
    """Page ``index`` (0-based) of an author feed of PAGES * PER_PAGE posts, newest first."""
    newest = PAGES * PER_PAGE - index * PER_PAGE
    body: dict[str, Any] = {"feed": [double.post(n) for n in range(newest, newest - PER_PAGE, -1)]}
    if index + 1 < PAGES:
        body["cursor"] = f"cur{index + 1}"
    return body


def main(url: str, source_id: int, mode: str) -> None:
    double = BlueskyDouble()
    block = threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("cursor")
        index = int(cursor[3:]) if cursor else 0
        print(f"REQUEST {index + 1}", flush=True)
        if mode == "hang-in-request" and index + 1 == HANG_AT:
            block.wait()
        return httpx.Response(200, json=page_body(index, double))

    stored = 0
    original = runner.insert_posts

    def insert_then_maybe_hang(conn: Any, rows: Any) -> Any:
        nonlocal stored
        counts = original(conn, rows)
        stored += 1
        print(f"INSERTED {stored}", flush=True)
        if mode == "hang-in-transaction" and stored == HANG_AT:
            block.wait()
        return counts

    runner.insert_posts = insert_then_maybe_hang  # type: ignore[assignment]
    engine = make_engine(url)
    connector = BlueskyConnector(transport=httpx.MockTransport(handler))
    result = runner.pull_source(engine, source_id, connector, sleeper=lambda s: None)
    print(f"DONE {result.status} {result.new}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
