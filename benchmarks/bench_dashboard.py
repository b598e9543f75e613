"""Dashboard: the median time of a page rerun after a filter change, in Streamlit's AppTest.

Overview at 1k posts (100 campaigns) and at 1M posts (100k campaigns): the rerun at 1M may take
at most twice the rerun at 1k. The Campaigns page with 100k campaigns is measured the same way
(against 100 campaigns; no target). Each filter value is new to the page's caches, so every
timed rerun pays for its query, as a person changing filters does. Each size runs in its own
process (fresh caches); the first run (start-up, engine, migrations check) is not timed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, Target, backend_of, emit, note, size_for
from benchmarks.generate import store_url
from benchmarks.synthetic import Size

TARGET = Target("<=", 2)
PAGES = {"overview": None, "campaigns": "campaigns/dashboard/campaigns.py"}
# One struggle at a time, then year ranges: each a filter the page has not seen yet. Six
# reruns per page, so that the median holds still on a shared, noisy machine.
STRUGGLES = ("ethics", "pay_and_benefits", "working_conditions", "discrimination")
YEARS = ((2018, 2022), (2012, 2016))


def child(url: str, page: str, limit: float) -> None:
    """Time reruns of ``page`` after filter changes in this process; print the times as JSON.

    A run that takes longer than ``limit`` seconds stops the measure: the page is then reported
    as taking at least ``limit`` (``timed_out``), so one slow page cannot stall ``make bench``.
    """
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=limit)
    seconds: list[float] = []
    try:
        at.run()
        target = PAGES[page]
        if target:
            at.switch_page(target)
            at.run()
        if at.exception:
            raise SystemExit(f"the page failed: {at.exception}")
        changes: list[tuple[str, object]] = [("f_struggle", [s]) for s in STRUGGLES]
        changes += [("f_years", years) for years in YEARS]
        for key, value in changes:
            if key == "f_years":
                at.multiselect(key="f_struggle").set_value([])
                at.slider(key=key).set_value(value)
            else:
                at.multiselect(key=key).set_value(value)  # type: ignore[arg-type]
            started = time.perf_counter()
            at.run()
            seconds.append(time.perf_counter() - started)
            if at.exception:
                raise SystemExit(f"the page failed after {key}={value}: {at.exception}")
    except RuntimeError as exc:  # AppTest's "script run timed out"
        print(json.dumps({"seconds": [*seconds, limit], "median": limit, "timed_out": str(exc)}))
        os._exit(0)  # the script thread is still running; do not wait for it
    print(json.dumps({"seconds": seconds, "median": statistics.median(seconds)}))


def rerun_seconds(url: str, page: str, limit: float = 300.0) -> tuple[float, bool]:
    """(median rerun seconds, whether a run hit ``limit``) of ``page`` on the store at ``url``."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", url, page, str(limit)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"AppTest of {page} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    note(f"{page} reruns: " + ", ".join(f"{s:.2f}" for s in result["seconds"]))
    return float(result["median"]), "timed_out" in result


def run(
    small: int,
    large: int,
    database_url: str | None,
    posts_only_campaigns: int,
    pages: list[str] | None = None,
) -> None:
    backend = backend_of(database_url)
    low_size, high_size = size_for(small), size_for(large)
    urls = {size: store_url(size, database_url, log=True) for size in (low_size, high_size)}
    for page in pages or list(PAGES):
        low, _ = rerun_seconds(urls[low_size], page)
        high, timed_out = rerun_seconds(urls[high_size], page)
        emit(
            f"dashboard_{page}_rerun",
            backend,
            f"{large} vs {small} posts ({high_size.campaigns} vs {low_size.campaigns} campaigns)",
            high,
            low,
            "s (median rerun)",
            TARGET if page == "overview" else None,
            **({"at_least": True} if timed_out else {}),
        )
    if posts_only_campaigns:
        # The same campaigns, ten times the posts: what posts alone cost the Overview.
        fewer, more = Size(large // 10, posts_only_campaigns), Size(large, posts_only_campaigns)
        low, _ = rerun_seconds(store_url(fewer, database_url, log=True), "overview")
        high, _ = rerun_seconds(store_url(more, database_url, log=True), "overview")
        emit(
            "dashboard_overview_rerun_posts_only",
            backend,
            f"{more.posts} vs {fewer.posts} posts (both {posts_only_campaigns} campaigns)",
            high,
            low,
            "s (median rerun)",
            TARGET,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Dashboard reruns after a filter change.")
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument(
        "--posts-only-campaigns", type=int, default=10_000, help="0 leaves that measure out"
    )
    parser.add_argument("--database-url")
    parser.add_argument(
        "--page", action="append", choices=list(PAGES), help="only this page (repeatable)"
    )
    parser.add_argument(
        "--child", nargs=3, metavar=("URL", "PAGE", "LIMIT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], float(args.child[2]))
        return 0
    run(args.small, args.large, args.database_url, args.posts_only_campaigns, args.page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
