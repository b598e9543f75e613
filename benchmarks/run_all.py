"""Run every benchmark; print one JSON line per measure (stdout), progress on stderr.

    .venv/bin/python benchmarks/run_all.py                 # SQLite, full sizes (make bench)
    .venv/bin/python benchmarks/run_all.py --quick         # small sizes, a minute or two
    .venv/bin/python benchmarks/run_all.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Each line: {"measure", "backend", "size", "value", "baseline", "ratio", "unit", "target", "ok"}
with the baseline measured in the same run. Synthetic stores are generated once and cached
under benchmarks/out/ (SQLite files; ``bench_*`` databases on PostgreSQL). The last line sums
up: how many measures met their target. The exit status is 0 even when a target is missed
(these are measurements, not tests); ``--strict`` makes a missed target exit 1.
"""

from __future__ import annotations

import argparse
import json
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, backend_of, note

# (script, arguments at full size, arguments with --quick)
BENCHMARKS: list[tuple[str, list[str], list[str]]] = [
    ("bench_ingest.py", ["--posts", "200000", "--rounds", "3"], ["--posts", "20000", "--rounds", "2"]),
    ("bench_export.py", ["--small", "100000", "--large", "1000000"], ["--small", "1000", "--large", "10000", "--posts-only-campaigns", "100"]),
    ("bench_dashboard.py", ["--small", "1000", "--large", "1000000"], ["--small", "1000", "--large", "10000", "--posts-only-campaigns", "100"]),
    ("bench_linking.py", ["--small", "10000", "--large", "100000"], ["--small", "1000", "--large", "10000"]),
]  # fmt: skip
POSTS_ONLY = ("bench_export.py", "bench_dashboard.py")


def machine(database_url: str | None) -> dict[str, str]:
    """Where the figures come from: cores, memory, Python, SQLite, PostgreSQL."""
    info = {
        "nproc": _out(["nproc"]),
        "memory": _out(["free", "-h"]).splitlines()[1].split()[1] if _out(["free", "-h"]) else "",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlite3_tool": _out(["sqlite3", "--version"]).split(" ")[0],
    }
    if backend_of(database_url) == "postgresql":
        from sqlalchemy import text

        from db.engine import make_engine

        engine = make_engine(database_url)
        with engine.connect() as conn:
            info["postgresql"] = str(conn.execute(text("SHOW server_version")).scalar_one())
        engine.dispose()
    return info


def _out(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark.")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite files)")
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--only", action="append", help="run only these scripts (e.g. ingest)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    print(json.dumps({"machine": machine(args.database_url)}), flush=True)
    lines: list[dict[str, object]] = []
    started = time.perf_counter()
    for script, full, quick in BENCHMARKS:
        if args.only and not any(name in script for name in args.only):
            continue
        command = [
            sys.executable,
            str(ROOT / "benchmarks" / script),
            *(quick if args.quick else full),
        ]
        if args.database_url:
            command += ["--database-url", args.database_url]
            if script in POSTS_ONLY and not args.quick:
                command += ["--posts-only-campaigns", "0"]  # SQLite answers that question
            if script == "bench_ingest.py" and not args.quick:
                # No target on PostgreSQL, and its per-page lookups make 200k x 3 rounds long.
                command += ["--posts", "50000", "--rounds", "1"]
        note(f"== {script} ({time.perf_counter() - started:.0f}s so far)")
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False, cwd=ROOT)
        for line in done.stdout.splitlines():
            if line.startswith("{"):
                print(line, flush=True)
                lines.append(json.loads(line))
        if done.returncode != 0:
            failure = {
                "measure": script,
                "backend": backend_of(args.database_url),
                "ok": False,
                "error": f"exit {done.returncode}",
            }
            print(json.dumps(failure), flush=True)
            lines.append(failure)
    judged = [line for line in lines if line.get("ok") is not None]
    met = sum(1 for line in judged if line["ok"])
    print(
        json.dumps(
            {
                "summary": f"{met} of {len(judged)} targets met",
                "seconds": round(time.perf_counter() - started),
            }
        ),
        flush=True,
    )
    return 1 if args.strict and met < len(judged) else 0


if __name__ == "__main__":
    raise SystemExit(main())
