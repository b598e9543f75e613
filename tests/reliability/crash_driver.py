"""Run the `campaigns` CLI in a child process that the crash tests kill at a chosen point.

``python -m tests.reliability.crash_driver ARGS...`` runs ``campaigns ARGS...`` with:

- ``CRASH_KILL_AT_STEP=N``: the process sends itself SIGKILL at its N-th database step (a
  statement executed inside a transaction, or a commit about to happen), which is exactly what
  an outside ``kill -9`` at that moment would do, but at a point a seed can choose;
- ``CRASH_COUNT_FILE=PATH``: the number of steps taken is written there at exit (the
  uninterrupted reference run measures how many points there are to choose from);
- ``CRASH_FEEDS=PAGES,PER_PAGE``: `campaigns pull` reads the paged test feed from
  :mod:`tests.reliability.paged_feed` through an httpx MockTransport (no network) and never
  sleeps;
- ``CRASH_REQUEST_LOG=PATH``: every feed request's URL is appended to PATH;
- ``CRASH_RENDEZVOUS=DIR,N``: before its first feed request the process leaves a file in DIR
  and waits (up to 60 s) until N processes have, so concurrent pulls really overlap.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import httpx


def install_step_killer() -> dict[str, int]:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    steps = {"n": 0}
    kill_at = int(os.environ.get("CRASH_KILL_AT_STEP", "0") or 0)

    def step(*_args: Any, **_kwargs: Any) -> None:
        steps["n"] += 1
        if kill_at and steps["n"] >= kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "after_cursor_execute", step)
    event.listen(Engine, "commit", step)
    return steps


def install_feeds(spec: str) -> None:
    import campaigns.cli.pull as pull_cli
    from connectors.settings import ConnectorSettings
    from tests.reliability.paged_feed import PagedFeeds, fake_resolver

    pages, per_page = (int(part) for part in spec.split(","))
    feeds = PagedFeeds(pages=pages, per_page=per_page)
    request_log = os.environ.get("CRASH_REQUEST_LOG")
    rendezvous = os.environ.get("CRASH_RENDEZVOUS")
    met = {"done": not rendezvous}

    def handler(request: httpx.Request) -> httpx.Response:
        if not met["done"] and rendezvous:
            directory, expected = rendezvous.rsplit(",", 1)
            Path(directory, f"{os.getpid()}.here").touch()
            deadline = time.monotonic() + 60
            while len(list(Path(directory).glob("*.here"))) < int(expected):
                if time.monotonic() > deadline:
                    break
                time.sleep(0.01)
            met["done"] = True
        if request_log:
            with open(request_log, "a", encoding="utf-8") as handle:
                handle.write(f"{os.getpid()} {request.url}\n")
        return feeds(request)

    def runtime() -> tuple[ConnectorSettings, Any]:
        transport = httpx.MockTransport(handler)
        return ConnectorSettings(http_transport=transport), lambda _seconds: None

    pull_cli.runtime = runtime
    try:
        from connectors import netguard

        netguard.DEFAULT_RESOLVER = fake_resolver
    except ImportError:
        pass


def main(argv: list[str]) -> int:
    steps = install_step_killer()
    if os.environ.get("CRASH_FEEDS"):
        install_feeds(os.environ["CRASH_FEEDS"])
    from campaigns.cli import app

    code = 0
    try:
        app(argv, prog_name="campaigns")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        count_file = os.environ.get("CRASH_COUNT_FILE")
        if count_file:
            Path(count_file).write_text(str(steps["n"]))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
