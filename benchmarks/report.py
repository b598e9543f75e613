"""Turn the JSON lines of a benchmark run into the Markdown table of benchmarks/README.md.

    .venv/bin/python benchmarks/run_all.py | tee run.jsonl
    .venv/bin/python benchmarks/report.py run.jsonl

Every figure in the README's tables comes from such a file, so it can be checked against the
raw lines printed beside it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HEADER = (
    "| measure | size | project | baseline | ratio | target | met |",
    "|---|---|---|---|---|---|---|",
)


def _figure(value: Any, unit: str) -> str:
    if value is None:
        return ""
    if unit.startswith("s"):
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "MiB":
        return f"{value:,.1f} MiB"
    return f"{value:,.0f} {unit}"


def _met(line: dict[str, Any]) -> str:
    if line.get("ok") is None:
        return "(no target)"
    return "yes" if line["ok"] else "**no**"


def table_rows(lines: Iterable[dict[str, Any]]) -> list[str]:
    """One Markdown row per measure line (machine and summary lines are skipped)."""
    rows = []
    for line in lines:
        if "measure" not in line:
            continue
        unit = str(line.get("unit", ""))
        seconds = {key: line[key] for key in ("bundle_seconds", "baseline_seconds") if key in line}
        project = _figure(line.get("value"), unit)
        baseline = _figure(line.get("baseline"), unit)
        if seconds:
            project += f" ({seconds.get('bundle_seconds', '')} s)"
            baseline += f" ({seconds.get('baseline_seconds', '')} s)"
        if line.get("against"):
            baseline += f", {line['against']}"
        ratio = "" if line.get("ratio") is None else f"**{line['ratio']}**"
        rows.append(
            f"| {line['measure']} | {line.get('size', '')} | {project} | {baseline} | {ratio} "
            f"| {line.get('target') or ''} | {_met(line)} |"
        )
    return rows


def read_lines(path: Path | None) -> list[dict[str, Any]]:
    """The JSON objects of a run's output (other lines, e.g. progress, are ignored)."""
    text = sys.stdin.read() if path is None else path.read_text(encoding="utf-8")
    found = []
    for raw in text.splitlines():
        raw = raw.strip()
        if raw.startswith("{"):
            try:
                found.append(json.loads(raw))
            except json.JSONDecodeError:
                continue
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Markdown table of a benchmark run.")
    parser.add_argument("file", nargs="?", type=Path, help="JSON lines (default: stdin)")
    args = parser.parse_args(argv)
    lines = read_lines(args.file)
    print("\n".join((*HEADER, *table_rows(lines))))
    for line in lines:
        if "summary" in line or "machine" in line:
            print(f"\n`{json.dumps(line)}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
