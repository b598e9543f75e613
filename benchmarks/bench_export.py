"""Export: the full bundle at 1M posts vs the database's own CSV output of the posts table, and
the peak memory of the export at 100k and at 1M posts.

The bundle is ``campaigns.exports.export_bundle`` (what ``campaigns export --out DIR`` writes).
The baseline is the ``sqlite3`` command-line tool's ``-csv`` output of ``select * from post``
(psycopg ``COPY ... TO STDOUT (FORMAT csv)`` on PostgreSQL). Rates are rows per second: every
row of every file of the bundle, against the posts table's rows. Each export runs in its own
process, which reports its peak resident memory (``ru_maxrss``, the larger of its own and of
the child process that writes posts.csv) and its own export time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy.engine import make_url

from benchmarks.common import Target, backend_of, emit, note, size_for
from benchmarks.generate import store_url
from benchmarks.synthetic import Size

RATE_TARGET = Target(">=", 0.5)
MEMORY_TARGET = Target("<=", 1.5)
BENCH_KEY = "benchmark-pseudonym-key-0123456789"  # a fixed key: the export needs one


def child(url: str, out: str) -> None:
    """Run one export in this process; print seconds, rows and peak RSS as JSON."""
    from campaigns.exports import export_bundle
    from db.engine import make_engine

    engine = make_engine(url)
    started = time.perf_counter()
    result = export_bundle(engine, Path(out), key_loader=lambda: BENCH_KEY.encode())
    elapsed = time.perf_counter() - started
    # KiB on Linux; the export writes posts.csv in a child process: count the larger of the two
    peak_kib = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    print(
        json.dumps(
            {"seconds": elapsed, "rows": sum(result.files.values()), "files": result.files,
             "peak_mib": peak_kib / 1024}
        )
    )  # fmt: skip


def export_in_subprocess(url: str, out: Path) -> dict[str, float]:
    env = {**os.environ, "CAMPAIGNS_PSEUDONYM_KEY": BENCH_KEY}
    done = subprocess.run(
        [sys.executable, __file__, "--child", url, str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"export failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def baseline_seconds(url: str, out: Path) -> tuple[float, str]:
    """Seconds for the database's own CSV of the posts table, and what was measured."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        tool = shutil.which("sqlite3")
        if tool is None:
            raise RuntimeError("the sqlite3 command-line tool is missing: apt-get install sqlite3")
        started = time.perf_counter()
        with out.open("wb") as handle:
            subprocess.run(
                [tool, "-csv", "-header", parsed.database or "", "select * from post"],
                stdout=handle,
                check=True,
            )
        return time.perf_counter() - started, "sqlite3 -csv 'select * from post'"
    import psycopg

    conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    started = time.perf_counter()
    with (
        psycopg.connect(conninfo) as conn,
        conn.cursor() as cur,
        out.open("wb") as handle,
        cur.copy("COPY post TO STDOUT (FORMAT csv, HEADER)") as copy,
    ):
        for block in copy:
            handle.write(block)
    return time.perf_counter() - started, "psycopg COPY post TO STDOUT (FORMAT csv)"


def post_count(url: str) -> int:
    from sqlalchemy import text

    from db.engine import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        count = int(conn.execute(text("SELECT count(*) FROM post")).scalar_one())
    engine.dispose()
    return count


def run(small: int, large: int, database_url: str | None, posts_only_campaigns: int) -> None:
    backend = backend_of(database_url)
    sizes = {"small": size_for(small), "large": size_for(large)}
    if posts_only_campaigns:
        sizes["small"] = Size(small, posts_only_campaigns)
        sizes["posts_only"] = Size(large, posts_only_campaigns)
    runs: dict[str, dict[str, float]] = {}
    baselines: dict[str, tuple[float, str, int]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        for label, size in sizes.items():
            url = store_url(size, database_url, log=True)
            runs[label] = export_in_subprocess(url, Path(tmp) / f"bundle-{label}")
            note(f"export {size.key}: {runs[label]}")
            shutil.rmtree(Path(tmp) / f"bundle-{label}", ignore_errors=True)
            if label != "small":
                seconds, what = baseline_seconds(url, Path(tmp) / "posts-baseline.csv")
                baselines[label] = (seconds, what, post_count(url))
                note(f"baseline {what}: {seconds:.1f}s for {baselines[label][2]} rows")
    for label in [k for k in ("large", "posts_only") if k in sizes]:
        bundle, (seconds, what, posts_in_store) = runs[label], baselines[label]
        size = sizes[label]
        emit(
            "export_rate" if label == "large" else "export_rate_posts_only",
            backend,
            f"{size.posts} posts, {size.campaigns} campaigns",
            bundle["rows"] / bundle["seconds"],
            posts_in_store / seconds,
            "rows/s",
            RATE_TARGET if backend == "sqlite" else None,
            against=what,
            bundle_seconds=round(bundle["seconds"], 2),
            bundle_rows=int(bundle["rows"]),
            baseline_seconds=round(seconds, 2),
        )
        emit(
            "export_peak_memory" if label == "large" else "export_peak_memory_posts_only",
            backend,
            f"{size.posts} posts/{size.campaigns} campaigns vs {sizes['small'].posts}/{sizes['small'].campaigns}",
            runs[label]["peak_mib"],
            runs["small"]["peak_mib"],
            "MiB",
            MEMORY_TARGET,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Export bundle vs the database's own CSV.")
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument(
        "--posts-only-campaigns", type=int, default=10_000, help="0 leaves that measure out"
    )
    parser.add_argument("--database-url")
    parser.add_argument("--child", nargs=2, metavar=("URL", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    run(args.small, args.large, args.database_url, args.posts_only_campaigns)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
