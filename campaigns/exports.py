"""Write the coded data set as the export bundle: CSV files, the codebook and datapackage.json.

Cells go through :func:`campaigns.csvsafe.cell`, so nothing in an export runs as a spreadsheet
formula, and importing ``demands.csv`` restores the original text. Rows are streamed to the
files (posts straight from a database cursor), so memory stays flat as the posts table grows;
each file's size and SHA-256 are measured on the way and recorded in ``datapackage.json``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import multiprocessing
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, Protocol, cast

from sqlalchemy.engine import Engine
from sqlmodel import Session

from campaigns import datapackage as dp
from campaigns.codebook import codebook_rows
from campaigns.csvsafe import FORMULA_STARTS, cell
from campaigns.dataset import CodedData, demand_rows
from campaigns.export_coded import CodedExport
from campaigns.export_db import RawReader, text
from campaigns.export_posts import Rendered, post_records
from campaigns.filters import Filters
from campaigns.flatfile import DEMAND_COLUMNS, DERIVED_COLUMNS
from campaigns.privacy import load_author_policy, load_pseudonym_key

DEMANDS_COLUMNS = (*DEMAND_COLUMNS, *DERIVED_COLUMNS)
CAMPAIGNS_COLUMNS = dp.columns("campaigns")
ACTIONS_COLUMNS = dp.columns("actions")
RESPONSES_COLUMNS = dp.columns("responses")
EVIDENCE_COLUMNS = dp.columns("evidence")
POSTS_COLUMNS = dp.columns("posts")
CODEBOOK_COLUMNS = dp.columns("codebook")
ROWS_PER_WRITE = 1_000
_UNSAFE_STARTS = frozenset((*FORMULA_STARTS, "'"))  # what csvsafe.neutralize prefixes


def format_cell(value: Any) -> str:
    """A value as an export cell: yes/no for flags, ISO dates, UTC times, safe text."""
    # Empty and plain text cells are most of a large export: answer them first, at C speed,
    # exactly as csvsafe.cell would.
    if value is None:
        return ""
    if type(value) is str:
        return "'" + value if value[:1] in _UNSAFE_STARTS else value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return cell(value)


def safe_rows(rows: Iterable[dict[str, Any]], columns: Iterable[str]) -> Iterator[dict[str, str]]:
    """Rows reduced to ``columns`` with every cell formatted and neutralised."""
    names = list(columns)
    for row in rows:
        yield {name: format_cell(row.get(name)) for name in names}


_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def csv_line(cells: Iterable[str]) -> str:
    """One CSV record (RFC 4180 quoting, '\n' line end).

    Unlike the csv module with a '\n' terminator, a cell holding a lone carriage return is
    quoted too, so no reader splits the record there.
    """
    return (
        ",".join(
            '"' + value.replace('"', '""') + '"' if _NEEDS_QUOTES.search(value) else value
            for value in cells
        )
        + "\n"
    )


def csv_lines(rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> Iterator[str]:
    """The header and then every row as safe CSV text, a record at a time."""
    yield csv_line(columns)
    for row in safe_rows(rows, columns):
        yield csv_line(row[name] for name in columns)


class _Sink(Protocol):
    def write(self, data: bytes, /) -> Any: ...


def write_stream(
    handle: _Sink, rows: Iterable[dict[str, Any]], columns: tuple[str, ...]
) -> dp.FileStats:
    """Stream rows as CSV into a binary handle; returns rows, bytes and SHA-256 written.

    Lines are encoded, hashed and written a thousand rows at a time (the same bytes as line by
    line, without a write and a hash update per row); memory stays flat.
    """
    digest = hashlib.sha256()
    size = 0
    count = 0
    names = list(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)

    def flush() -> None:
        nonlocal size
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        handle.write(data)
        digest.update(data)
        size += len(data)

    for row in rows:
        cells = [format_cell(row.get(name)) for name in names]
        if "\r" in "".join(cells):
            buffer.write(csv_line(cells))  # the csv module leaves a lone CR unquoted
        else:
            writer.writerow(cells)
        count += 1
        if count % ROWS_PER_WRITE == 0:
            flush()
    flush()
    return dp.FileStats(rows=count, bytes=size, sha256=digest.hexdigest())


class CsvSink:
    """A CSV file being written: the header, then batches of records; counts rows and bytes
    and hashes them on the way.

    A batch is a list of records whose cells are finished CSV cells (neutralised and quoted,
    :func:`campaigns.export_db.text`), or records already rendered as CSV text; the bytes are
    those :func:`write_stream` writes for the same rows. A batch is encoded, hashed and
    written in one go.
    """

    def __init__(self, handle: _Sink, columns: tuple[str, ...]) -> None:
        self._handle = handle
        self._digest = hashlib.sha256()
        self._size = self._rows = 0
        self._put(csv_line(columns))

    def _put(self, data: str) -> None:
        encoded = data.encode("utf-8")
        self._handle.write(encoded)
        self._digest.update(encoded)
        self._size += len(encoded)

    def add(self, batch: Sequence[Sequence[str]] | Rendered) -> None:
        if isinstance(batch, Rendered):
            self._put(batch.text)
            self._rows += batch.rows
        elif batch:
            self._put("\n".join(map(",".join, batch)) + "\n")
            self._rows += len(batch)

    def stats(self) -> dp.FileStats:
        return dp.FileStats(rows=self._rows, bytes=self._size, sha256=self._digest.hexdigest())


def write_batches(
    handle: _Sink, batches: Iterable[Sequence[Sequence[str]] | Rendered], columns: tuple[str, ...]
) -> dp.FileStats:
    """Stream batches of records (see :class:`CsvSink`) into a binary handle; returns rows,
    bytes and SHA-256 written."""
    sink = CsvSink(handle, columns)
    for batch in batches:
        sink.add(batch)
    return sink.stats()


def write_csv(path: Path, rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> int:
    """Write rows to ``path``; returns the number of rows written."""
    with path.open("wb") as handle:
        return write_stream(handle, rows, columns).rows


def demands_csv_text(data: CodedData) -> str:
    """``demands.csv`` as text, for the dashboard's download button: the bundle's file, with
    the URLs of posts by people left out of ``evidence_urls`` as in the bundle."""
    return "".join(csv_lines(demand_rows(data.public()), DEMANDS_COLUMNS))


def _provenance(record: Any) -> dict[str, Any]:
    return {
        "coded_by": record.coded_by,
        "confidence": record.confidence,
        "review_status": record.review_status,
    }


def action_rows(data: CodedData) -> Iterator[dict[str, Any]]:
    """One row per action of the exported campaigns (as actions.csv)."""
    data = data.public()
    for campaign in data.campaigns:
        for action in data.actions.get(campaign.id, []):
            urls = sorted(e.url for e in data.evidence.get(("action", action.id), []))
            yield {
                "action_id": action.id,
                "campaign_id": action.campaign_id,
                "tactic": action.tactic,
                "happened_on": action.happened_on,
                "online": action.online,
                "participants_low": action.participants_low,
                "participants_high": action.participants_high,
                "location": action.location,
                "description": action.description,
                "evidence_urls": ";".join(urls),
                **_provenance(action),
            }


def response_rows(data: CodedData) -> Iterator[dict[str, Any]]:
    """One row per response of the exported campaigns, with the demands it answers."""
    data = data.public()
    for response in data.responses.values():
        company = data.companies.get(response.company_id) if response.company_id else None
        urls = sorted(e.url for e in data.evidence.get(("response", response.id), []))
        yield {
            "response_id": response.id,
            "campaign_id": response.campaign_id,
            "company": company.name if company else None,
            "response_type": response.response_type,
            "responded_on": response.responded_on,
            "summary": response.summary,
            "demand_ids": ";".join(data.response_demands.get(response.id, [])),
            "evidence_urls": ";".join(urls),
            **_provenance(response),
            "speaker_role": response.speaker_role,
        }


@dataclass
class ExportResult:
    """Where the bundle went, and rows / bytes / SHA-256 of every file in it."""

    directory: Path
    files: dict[str, int] = field(default_factory=dict)  # file name -> rows
    stats: dict[str, dp.FileStats] = field(default_factory=dict)
    as_of: date | None = None


class BundleTarget(Protocol):
    """Somewhere to put the bundle's files: a directory or a zip archive."""

    def open(self, name: str) -> AbstractContextManager[IO[bytes]]: ...


@dataclass
class DirectoryTarget:
    path: Path

    def open(self, name: str) -> AbstractContextManager[IO[bytes]]:
        return (self.path / name).open("wb")


@dataclass
class ZipTarget:
    archive: zipfile.ZipFile
    as_of: date

    def open(self, name: str) -> AbstractContextManager[IO[bytes]]:
        # A fixed timestamp makes the same data give the same archive.
        stamp = (max(self.as_of.year, 1980), self.as_of.month, self.as_of.day, 0, 0, 0)
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return self.archive.open(info, "w", force_zip64=True)


def write_bundle(
    engine: Engine,
    target: BundleTarget,
    filters: Filters = Filters(),
    *,
    as_of: date | None = None,
    key_loader: Callable[[], bytes] | None = None,
    parallel: bool = True,
) -> tuple[dict[str, dp.FileStats], date]:
    """Write every file of the bundle for the filtered data set into ``target``.

    Every file is streamed from the database (coded records a chunk of campaigns at a time,
    posts from one cursor), so memory stays flat however large the store is. Into a
    directory, ``posts.csv`` (half the work) is written by a second process meanwhile
    (``parallel``); the bytes are the same either way.
    """
    day = as_of or datetime.now(UTC).date()
    loader = key_loader or (lambda: load_pseudonym_key(engine.url))
    stats: dict[str, dp.FileStats] = {}
    with Session(engine) as session:
        policy = load_author_policy(session, loader)
        coded = CodedExport.open(session, filters, policy)
        only_posts = None if filters.is_empty() else coded.cited_post_ids()

        def producers(
            session: Session, coded: CodedExport
        ) -> dict[str, Callable[[], Iterable[Sequence[Sequence[str]] | Rendered]]]:
            return {
                "campaigns.csv": coded.campaign_records,
                "demands.csv": coded.demand_records,
                "actions.csv": coded.action_records,
                "responses.csv": coded.response_records,
                "evidence.csv": coded.evidence_records,
                "posts.csv": lambda: post_records(session, policy, only_posts),
                "codebook.csv": lambda: [
                    [[text(row[name]) for name in CODEBOOK_COLUMNS] for row in codebook_rows()]
                ],
            }

        background = None
        if parallel and isinstance(target, DirectoryTarget):
            background = Background.start(engine, target.path, coded, producers, IN_BACKGROUND)
        here = producers(session, coded)
        try:
            done: tuple[str, ...] = IN_BACKGROUND if background is not None else ()
            if isinstance(target, DirectoryTarget):
                stats.update(_write_together(target, coded, ONE_PASS))
                done += ONE_PASS
            for name in dp.FILE_ORDER:
                if name in done:
                    continue
                with target.open(name) as handle:
                    stats[name] = write_batches(handle, here[name](), _columns(name))
            if background is not None:
                stats.update(background.result())
        finally:
            if background is not None:
                background.stop()
        stats = {name: stats[name] for name in dp.FILE_ORDER}
    info = dp.BundleInfo(
        as_of=day, filters=bundle_filters(filters), sources=dp.data_sources(coded.coded_by)
    )
    with target.open("datapackage.json") as handle:
        handle.write(dp.descriptor_json(info, stats).encode("utf-8"))
    return stats, day


def _columns(name: str) -> tuple[str, ...]:
    return dp.columns(name.removesuffix(".csv"))


def _write_together(
    target: BundleTarget, coded: CodedExport, names: tuple[str, ...]
) -> dict[str, dp.FileStats]:
    """Write files fed by the same chunks of campaigns side by side (one read per chunk)."""
    with ExitStack() as stack:
        sinks = {
            name: CsvSink(stack.enter_context(target.open(name)), _columns(name)) for name in names
        }
        for batches in coded.chunk_records(names):
            for name, batch in batches.items():
                sinks[name].add(batch)
        return {name: sink.stats() for name, sink in sinks.items()}


# Written side by side into a directory, from one read of each chunk of campaigns.
ONE_PASS = ("campaigns.csv", "demands.csv", "actions.csv")
# Written by a second process into a directory: about half of the work at any size.
IN_BACKGROUND = ("evidence.csv", "posts.csv")
_Producers = Callable[
    [Session, CodedExport], dict[str, Callable[[], Iterable[Sequence[Sequence[str]] | Rendered]]]
]


@dataclass
class Background:
    """Some of the bundle's files written by a forked process while this one writes the rest.

    Fork (not spawn) so the child shares the export's state as it is (filters applied, the
    author policy and its key loader); it opens connections of its own (the parent's stay
    untouched) and sends back the files' stats.
    """

    process: Any
    answers: Any

    @classmethod
    def start(
        cls,
        engine: Engine,
        directory: Path,
        coded: CodedExport,
        producers: _Producers,
        names: tuple[str, ...],
    ) -> Background | None:
        """The running process, or None where processes cannot be forked (write inline then)."""
        try:
            context = multiprocessing.get_context("fork")
        except ValueError:
            return None
        answers, send = context.Pipe(duplex=False)
        process = context.Process(
            target=_write_in_child,
            args=(send, engine, directory, coded, producers, names),
            daemon=True,
        )
        process.start()
        send.close()
        return cls(process, answers)

    def result(self) -> dict[str, dp.FileStats]:
        try:
            status, value = self.answers.recv()
        except EOFError:
            status, value = "error", f"the process ended with exit code {self.process.exitcode}"
        self.process.join()
        if status != "ok":
            if isinstance(value, BaseException):
                raise value  # the same error as when written in this process
            raise RuntimeError(f"writing the bundle failed: {value}")
        return cast(dict[str, dp.FileStats], value)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.answers.close()


def _write_in_child(
    send: Any,
    engine: Engine,
    directory: Path,
    coded: CodedExport,
    producers: _Producers,
    names: tuple[str, ...],
) -> None:
    try:
        engine.dispose(close=False)  # new connections for this process
        stats = {}
        with Session(engine) as session:
            coded.reader = RawReader(session)
            files = producers(session, coded)
            for name in names:
                with (directory / name).open("wb") as handle:
                    stats[name] = write_batches(handle, files[name](), _columns(name))
        send.send(("ok", stats))
    except BaseException as exc:  # reported to the parent, which raises it
        try:
            send.send(("error", exc))
        except Exception:  # an exception that does not pickle
            send.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()


def bundle_filters(filters: Filters) -> dict[str, Any]:
    """The filters as recorded in datapackage.json, with what they mean for posts."""
    return {
        **filters.describe(),
        "posts": "every collected post"
        if filters.is_empty()
        else "only the posts cited as evidence by the exported records",
    }


def export_bundle(
    engine: Engine,
    out_dir: Path,
    filters: Filters = Filters(),
    *,
    as_of: date | None = None,
    key_loader: Callable[[], bytes] | None = None,
    parallel: bool = True,
) -> ExportResult:
    """Write the bundle (CSV files + datapackage.json) for the filtered data set into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stats, day = write_bundle(
        engine,
        DirectoryTarget(out_dir),
        filters,
        as_of=as_of,
        key_loader=key_loader,
        parallel=parallel,
    )
    return ExportResult(out_dir, {n: s.rows for n, s in stats.items()}, stats, day)


def export_zip(
    engine: Engine,
    destination: Path | IO[bytes],
    filters: Filters = Filters(),
    *,
    as_of: date | None = None,
    key_loader: Callable[[], bytes] | None = None,
) -> ExportResult:
    """Write the same bundle as one zip archive (a path or a writable binary file)."""
    day = as_of or datetime.now(UTC).date()
    if isinstance(destination, Path):
        destination.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(destination, "w") as archive:
        stats, _ = write_bundle(
            engine, ZipTarget(archive, day), filters, as_of=day, key_loader=key_loader
        )
    where = destination if isinstance(destination, Path) else Path("bundle.zip")
    return ExportResult(where, {n: s.rows for n, s in stats.items()}, stats, day)


def export_zip_bytes(
    engine: Engine, filters: Filters = Filters(), *, as_of: date | None = None
) -> bytes:
    """The zipped bundle as bytes, for a download (the same files as ``campaigns export``)."""
    buffer = io.BytesIO()
    export_zip(engine, buffer, filters, as_of=as_of)
    return buffer.getvalue()


def bundle_file_name(filters: Filters, as_of: date) -> str:
    """A download name that says what is in it: campaigns-export-2024-06-01[-filtered].zip."""
    return f"campaigns-export-{as_of.isoformat()}{'' if filters.is_empty() else '-filtered'}.zip"
