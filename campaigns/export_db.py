"""Raw reads for the export bundle: DB-API cursors and cells formatted once, in bulk.

The export reads millions of rows. Going through the driver's own cursor (tuples, values as
the database returns them) instead of typed SQLAlchemy rows or ORM objects saves a Python
object and a type conversion per value; each value is then turned into its finished CSV cell
exactly as :func:`campaigns.exports.format_cell` and the CSV writer would (the bundle's bytes
do not change), and a record is the cells joined by commas.
Dates come back as ISO text from SQLite and as ``date`` objects from PostgreSQL, so both are
reduced to ISO text first.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session

from campaigns.csvsafe import FORMULA_STARTS, cell

UNSAFE_STARTS = frozenset((*FORMULA_STARTS, "'"))  # what csvsafe.neutralize prefixes
_cursor_names = itertools.count()


def text(value: str | None) -> str:
    """A text value as its finished CSV cell: neutralised (as csvsafe.cell), then quoted
    (RFC 4180) when it holds a quote, a comma or a line break.

    A carriage return is quoted too (as :func:`campaigns.exports.csv_line` does), so no reader
    splits a record there. Four substring tests run at C speed; a regular expression or the
    csv module take several times longer on long post texts.
    """
    if value is None:
        return ""
    if value[:1] in UNSAFE_STARTS:
        value = "'" + value
    if '"' in value:
        return '"' + value.replace('"', '""') + '"'
    if "," in value or "\n" in value or "\r" in value:
        return '"' + value + '"'
    return value


class FewValues(dict[Any, str]):
    """Finished cells of columns with few distinct values (vocabularies, languages, coders),
    each formatted once: ``cells[value]`` is ``text(value)`` at the cost of a dict lookup."""

    limit = 10_000

    def __missing__(self, value: Any) -> str:
        found = text(value)
        if len(self) < self.limit:
            self[value] = found
        return found


def day(value: Any) -> str | None:
    """A date as ISO text (SQLite returns it as text already), None stays None."""
    if value is None or (type(value) is str and len(value) == 10):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return date.fromisoformat(str(value)[:10]).isoformat()


def flag(value: Any) -> str:
    """A boolean cell: yes / no / empty (SQLite returns 0 and 1)."""
    if value is None:
        return ""
    return "yes" if value else "no"


def number(value: Any) -> str:
    """An integer or float cell, as csvsafe.cell writes it."""
    if value is None:
        return ""
    kind = type(value)
    if kind is float:
        return repr(value)
    return str(value) if kind is int else cell(value)


def moment(value: Any) -> str:
    """A timestamp as UTC ``YYYY-MM-DDTHH:MM:SSZ`` (stored in UTC; SQLite returns text)."""
    if value is None:
        return ""
    if type(value) is str:
        if len(value) >= 19 and value[10] == " " and value[:1] not in ("0", "-"):
            return value[:10] + "T" + value[11:19] + "Z"
        value = datetime.fromisoformat(value)
    stamp = value if value.tzinfo else value.replace(tzinfo=UTC)
    return str(stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def days_between(start: str | None, end: str | None) -> str:
    """Days from one ISO date to another as a cell (empty when either is missing)."""
    if not start or not end:
        return ""
    return str((date.fromisoformat(end) - date.fromisoformat(start)).days)


class RawReader:
    """Queries through the session's own DB-API connection (same transaction, same snapshot).

    SQL is written with ``?`` placeholders and adapted to the driver (``%s`` for psycopg).
    """

    def __init__(self, session: Session) -> None:
        connection = session.connection()
        self.dialect = connection.dialect.name
        self._dbapi = connection.connection

    @property
    def postgres(self) -> bool:
        return self.dialect == "postgresql"

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self._dbapi.cursor()
        try:
            cursor.execute(self._sql(sql), tuple(params))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def batches(
        self, sql: str, params: Sequence[Any] = (), size: int = 2_000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """The result ``size`` rows at a time, streamed (a server-side cursor on PostgreSQL)."""
        if self.postgres:
            name = f"campaigns_export_{next(_cursor_names)}"
            driver = self._dbapi.driver_connection
            assert driver is not None, "an open connection"
            cursor = driver.cursor(name=name)
            cursor.itersize = size
        else:
            cursor = self._dbapi.cursor()
        try:
            cursor.execute(self._sql(sql), tuple(params))
            while batch := cursor.fetchmany(size):
                yield batch
        finally:
            cursor.close()

    def order_text(self, column: str) -> str:
        """``column`` ordered by code point, as Python sorts text (PostgreSQL: the C collation)."""
        return f'{column} COLLATE "C"' if self.postgres else column
