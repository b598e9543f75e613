"""The one-row-per-demand CSV format: its columns, and reading it with every error named.

Reading validates every row before anything is written; the caller gets either all rows or a
:class:`FlatFileError` listing each bad row (numbered as a spreadsheet shows it: the header is
row 1) and column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from campaigns import codebook as cb
from campaigns.csvsafe import restore
from campaigns.text import normalize_name, slugify, stable_id

DEMAND_COLUMNS: tuple[str, ...] = (
    "campaign_id", "campaign_title", "company", "business_unit", "worker_group", "struggle",
    "tactics", "demand_id", "demand", "demand_type", "demand_date", "response_type",
    "response_date", "response_summary", "outcome", "outcome_date", "retaliation",
    "evidence_urls", "coded_by", "confidence", "review_status",
)  # fmt: skip
DERIVED_COLUMNS: tuple[str, ...] = ("days_to_response", "days_to_outcome")
REQUIRED_COLUMNS = frozenset(DEMAND_COLUMNS)
CAMPAIGN_LEVEL = (
    "campaign_title", "company", "business_unit", "worker_group", "struggle", "tactics",
    "retaliation",
)  # fmt: skip
MAX_CELL = 100_000
# Columns stored in bounded database columns (PostgreSQL refuses longer values).
MAX_LENGTH = {
    "campaign_title": 500, "company": 150, "business_unit": 200, "worker_group": 300,
    "coded_by": 200,
}  # fmt: skip
MAX_URL = 2000
TRUE_WORDS = {"yes", "true", "1", "y"}
FALSE_WORDS = {"no", "false", "0", "n"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class FlatFileError(ValueError):
    """A file in the flat format that cannot be imported; nothing was written."""

    def __init__(self, source: str, errors: list[RowError]) -> None:
        self.source = source
        self.errors = errors
        super().__init__(self.render())

    def render(self, limit: int = 50) -> str:
        lines = [f"{self.source}: {len(self.errors)} problem(s), nothing was imported."]
        lines += [f"  {error}" for error in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"  ... and {len(self.errors) - limit} more")
        lines.append("Fix the rows named above and import the file again.")
        return "\n".join(lines)


@dataclass
class DemandRow:
    """One validated row: a demand with its campaign, first response and outcome."""

    row: int
    campaign_id: str
    campaign_title: str
    company: str
    business_unit: str | None
    worker_group: str | None
    struggle: str | None
    tactics: tuple[str, ...]
    demand_id: str
    demand: str
    demand_type: str | None
    demand_date: date | None
    response_type: str | None
    response_date: date | None
    response_summary: str | None
    outcome: str
    outcome_date: date | None
    retaliation: bool | None
    evidence_urls: tuple[str, ...]
    coded_by: str
    confidence: float | None
    review_status: str
    extra: dict[str, Any] = field(default_factory=dict)


def split_list(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


def is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class _RowReader:
    """Reads typed cells from one raw row, collecting errors instead of raising."""

    def __init__(self, raw: dict[str, str], row: int, errors: list[RowError]) -> None:
        self.raw = raw
        self.row = row
        self.errors = errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row, column, message))

    def text(self, column: str, *, required: bool = False) -> str | None:
        value = restore((self.raw.get(column) or "").strip())
        limit = MAX_LENGTH.get(column, MAX_CELL)
        if len(value) > limit:
            self.error(column, f"longer than {limit} characters")
            return None
        if "\x00" in value:
            self.error(column, "contains a NUL byte")
            return None
        if required and not value:
            self.error(column, "is empty; a value is required")
        return value or None

    def choice(self, column: str, vocab: cb.Vocabulary, default: str | None = None) -> str | None:
        value = self.text(column)
        if value is None:
            return default
        if value not in vocab:
            self.error(column, f"{value[:60]!r} is not one of: {', '.join(vocab.values)}")
            return default
        return value

    def day(self, column: str) -> date | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.error(column, f"{value[:40]!r} is not a date (use YYYY-MM-DD)")
            return None

    def flag(self, column: str) -> bool | None:
        value = self.text(column)
        if value is None:
            return None
        if value.lower() in TRUE_WORDS:
            return True
        if value.lower() in FALSE_WORDS:
            return False
        self.error(column, f"{value[:40]!r} is not yes/no (or empty for unknown)")
        return None

    def number(self, column: str) -> float | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            self.error(column, f"{value[:40]!r} is not a number")
            return None
        if not 0 <= number <= 1:
            self.error(column, f"{number} is outside 0-1")
            return None
        return number


def _read_row(raw: dict[str, str], row: int, errors: list[RowError]) -> DemandRow | None:
    before = len(errors)
    r = _RowReader(raw, row, errors)
    title = r.text("campaign_title", required=True) or ""
    company = r.text("company", required=True) or ""
    if len(normalize_name(company)) > MAX_LENGTH["company"]:
        r.error("company", "too long once spelled out for matching; shorten the name")
    elif company and not normalize_name(company):
        r.error("company", f"{company[:40]!r} is not a company name (no letters or digits)")
    demand = r.text("demand", required=True) or ""
    demand_date = r.day("demand_date")
    campaign_id = r.text("campaign_id") or slugify(f"{company} {title}")
    tactics: list[str] = []
    for tactic in split_list(r.text("tactics") or ""):
        if tactic in cb.TACTIC:
            tactics.append(tactic)
        else:
            r.error("tactics", f"{tactic[:60]!r} is not one of: {', '.join(cb.TACTIC.values)}")
    urls = split_list(r.text("evidence_urls") or "")
    for url in urls:
        if not is_web_url(url):
            r.error("evidence_urls", f"{url[:80]!r} is not an http(s) URL")
        elif len(url) > MAX_URL:
            r.error("evidence_urls", f"{url[:80]!r}... is longer than {MAX_URL} characters")
    outcome = r.choice("outcome", cb.OUTCOME, default="unknown") or "unknown"
    outcome_date = r.day("outcome_date")
    response_type = r.choice("response_type", cb.RESPONSE_TYPE)
    response_date = r.day("response_date")
    response_summary = r.text("response_summary")
    if demand_date and outcome_date and outcome_date < demand_date:
        r.error("outcome_date", f"{outcome_date} is before the demand date {demand_date}")
    if outcome == "pending" and outcome_date is not None:
        r.error("outcome_date", "a pending demand has no outcome date; clear it or set the outcome")
    if response_type is None and (response_date or response_summary):
        r.error("response_type", "is empty but a response date or summary is given")
    result = DemandRow(
        row=row,
        campaign_id=campaign_id,
        campaign_title=title,
        company=company,
        business_unit=r.text("business_unit"),
        worker_group=r.text("worker_group"),
        struggle=r.choice("struggle", cb.STRUGGLE),
        tactics=tuple(dict.fromkeys(tactics)),
        demand_id=r.text("demand_id") or stable_id(campaign_id, demand, length=8),
        demand=demand,
        demand_type=r.choice("demand_type", cb.DEMAND_TYPE),
        demand_date=demand_date,
        response_type=response_type,
        response_date=response_date,
        response_summary=response_summary,
        outcome=outcome,
        outcome_date=outcome_date,
        retaliation=r.flag("retaliation"),
        evidence_urls=tuple(dict.fromkeys(urls)),
        coded_by=r.text("coded_by") or "import:csv",
        confidence=r.number("confidence"),
        review_status=r.choice("review_status", cb.REVIEW_STATUS, default="proposed") or "proposed",
    )
    for column in (c for c in ("campaign_id", "demand_id") if len(getattr(result, c)) > 200):
        r.error(column, "longer than 200 characters")
    return result if len(errors) == before else None


def _check_consistency(rows: list[DemandRow], errors: list[RowError]) -> None:
    """Campaign-level columns must agree across a campaign's rows; demand ids must be unique."""
    first_of_campaign: dict[str, DemandRow] = {}
    demand_rows: dict[str, int] = {}
    for row in rows:
        if row.demand_id in demand_rows:
            errors.append(
                RowError(
                    row.row,
                    "demand_id",
                    f"{row.demand_id!r} already used on row {demand_rows[row.demand_id]}",
                )
            )
        else:
            demand_rows[row.demand_id] = row.row
        first = first_of_campaign.setdefault(row.campaign_id, row)
        for column in CAMPAIGN_LEVEL:
            if getattr(row, column) != getattr(first, column):
                errors.append(
                    RowError(
                        row.row,
                        column,
                        f"differs from row {first.row} of the same campaign "
                        f"{row.campaign_id!r}; campaign columns must match on every row",
                    )
                )


def read_rows(lines: Iterable[str], source: str) -> list[DemandRow]:
    """Parse and validate the whole file; raise :class:`FlatFileError` listing every problem."""
    errors: list[RowError] = []
    reader = csv.DictReader(lines)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise FlatFileError(
            source, [RowError(1, "(header)", f"not readable as CSV: {exc}")]
        ) from None
    missing = [c for c in DEMAND_COLUMNS if c not in header]
    if missing:
        raise FlatFileError(
            source,
            [RowError(1, column, "missing from the header") for column in missing],
        )
    rows: list[DemandRow] = []
    try:
        for row_number, raw in enumerate(reader, start=2):
            if None in raw:
                errors.append(RowError(row_number, "(row)", "has more cells than the header"))
                continue
            if all(not (v or "").strip() for v in raw.values()):
                continue
            parsed = _read_row(raw, row_number, errors)
            if parsed is not None:
                rows.append(parsed)
    except csv.Error as exc:
        errors.append(RowError(len(rows) + 2, "(row)", f"not readable as CSV: {exc}"))
    _check_consistency(rows, errors)
    if errors:
        raise FlatFileError(source, errors)
    return rows


def read_file(path: Path) -> list[DemandRow]:
    """Read a flat CSV file (UTF-8, with or without a byte-order mark)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FlatFileError(
            str(path), [RowError(0, "(file)", f"cannot read: {exc.strerror}")]
        ) from None
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FlatFileError(
            str(path),
            [RowError(0, "(file)", f"not UTF-8 (byte {exc.start}); save the file as UTF-8 CSV")],
        ) from None
    if "\x00" in content:
        raise FlatFileError(
            str(path), [RowError(0, "(file)", "contains NUL bytes; not a CSV file")]
        )
    return read_rows(io.StringIO(content, newline=""), str(path))


def iter_csv_lines(rows: Iterable[dict[str, str]], columns: Iterable[str]) -> Iterator[str]:
    """CSV text, a line at a time, for streaming writes and downloads."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()
