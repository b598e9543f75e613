"""Spreadsheet-safe CSV cells.

A cell that starts with ``= + - @``, a tab or a carriage return can run as a formula when a
CSV file is opened in a spreadsheet, and so can one starting with their full-width forms
(``＝ ＋ － ＠``), which spreadsheets set to East Asian input read as the same signs. Such
cells are written with a leading apostrophe, and so is any cell that already starts with one,
which makes the mapping reversible: reading strips exactly one leading apostrophe.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralize(value: str) -> str:
    """The cell as written to CSV."""
    if value.startswith(FORMULA_STARTS) or value.startswith("'"):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The cell as it was before :func:`neutralize`."""
    return value[1:] if value.startswith("'") else value


def cell(value: object) -> str:
    """Any value as a safe CSV cell: None is empty, numbers are plain, text is neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    return neutralize(str(value))
