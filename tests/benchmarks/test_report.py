"""benchmarks/report.py: the README's tables are made from a run's JSON lines."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.report import read_lines, table_rows


def test_rows_carry_each_measure_with_its_ratio_and_verdict(tmp_path: Path) -> None:
    run = tmp_path / "run.jsonl"
    lines = [
        {"machine": {"nproc": "2"}},
        {"measure": "ingest", "backend": "sqlite", "size": "200000 posts", "value": 25803.2,
         "baseline": 30533.9, "ratio": 0.845, "unit": "posts/s", "target": ">=0.7", "ok": True,
         "against": "sqlite3 executemany"},
        {"measure": "export_rate", "backend": "sqlite", "size": "1000000 posts", "value": 45000.0,
         "baseline": 190000.0, "ratio": 0.237, "unit": "rows/s", "target": ">=0.5", "ok": False,
         "bundle_seconds": 43.1, "baseline_seconds": 5.16},
        {"summary": "1 of 2 targets met", "seconds": 526},
    ]  # fmt: skip
    run.write_text("progress on stderr\n" + "\n".join(map(json.dumps, lines)) + "\n")

    rows = table_rows(read_lines(run))

    assert len(rows) == 2
    assert rows[0] == (
        "| ingest | 200000 posts | 25,803 posts/s | 30,534 posts/s, sqlite3 executemany "
        "| **0.845** | >=0.7 | yes |"
    )
    assert "(43.1 s)" in rows[1] and "(5.16 s)" in rows[1]
    assert rows[1].endswith("| **0.237** | >=0.5 | **no** |")
