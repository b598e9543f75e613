"""What every benchmark shares: one JSON line per measure, sizes, timers, the backend's name."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy.engine import make_url  # noqa: E402

from benchmarks.synthetic import Size  # noqa: E402

# Campaigns grow with posts, one campaign per ten posts, as in the full 1M / 100k data set.
POSTS_PER_CAMPAIGN = 10


def size_for(posts: int, seed: int = 1) -> Size:
    return Size(posts, max(10, posts // POSTS_PER_CAMPAIGN), seed)


def backend_of(database_url: str | None) -> str:
    if database_url and make_url(database_url).get_backend_name() == "postgresql":
        return "postgresql"
    return "sqlite"


@dataclass(frozen=True)
class Target:
    """What a ratio must reach: at least (``>=``) or at most (``<=``) ``bound``."""

    op: str
    bound: float

    def ok(self, ratio: float) -> bool:
        return ratio >= self.bound if self.op == ">=" else ratio <= self.bound

    def __str__(self) -> str:
        return f"{self.op}{self.bound:g}"


def emit(
    measure: str,
    backend: str,
    size: str,
    value: float,
    baseline: float | None,
    unit: str,
    target: Target | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Print one measure as a JSON line (value, baseline from the same run, their ratio)."""
    ratio = value / baseline if baseline else None
    line = {
        "measure": measure,
        "backend": backend,
        "size": size,
        "value": round(value, 4),
        "baseline": round(baseline, 4) if baseline is not None else None,
        "ratio": round(ratio, 3) if ratio is not None else None,
        "unit": unit,
        "target": str(target) if target else None,
        "ok": target.ok(ratio) if target and ratio is not None else None,
        **extra,
    }
    print(json.dumps(line), flush=True)
    return line


def timed(work: Callable[[], Any]) -> float:
    """Seconds ``work`` takes (wall clock)."""
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def median(values: list[float]) -> float:
    return statistics.median(values)


def note(message: str) -> None:
    """Progress for the person waiting, on stderr (stdout is only JSON lines)."""
    print(message, file=sys.stderr, flush=True)


def quick() -> bool:
    return os.environ.get("BENCH_QUICK") == "1"
