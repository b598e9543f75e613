"""The filters shared by the dashboard, the export and ``campaigns stats``.

Filters travel as query parameters (a shareable link), so parsing them is strict: anything
unknown is dropped and reported as a notice instead of raising.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from campaigns import codebook as cb

YEAR_MIN, YEAR_MAX = 1960, 2100


@dataclass(frozen=True)
class Filters:
    companies: tuple[str, ...] = ()  # company slugs; a parent includes its subsidiaries
    struggles: tuple[str, ...] = ()
    tactics: tuple[str, ...] = ()
    demand_types: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    def is_empty(self) -> bool:
        return self == Filters()

    def describe(self) -> dict[str, object]:
        """The filters as plain values, for export metadata."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}

    def to_query_params(self) -> dict[str, str]:
        params: dict[str, str] = {}
        for key, values in (
            ("company", self.companies),
            ("struggle", self.struggles),
            ("tactic", self.tactics),
            ("demand_type", self.demand_types),
            ("outcome", self.outcomes),
        ):
            if values:
                params[key] = ",".join(values)
        if self.year_from is not None:
            params["from"] = str(self.year_from)
        if self.year_to is not None:
            params["to"] = str(self.year_to)
        return params


@dataclass
class ParsedFilters:
    filters: Filters
    notices: list[str] = field(default_factory=list)


def _values(raw: Mapping[str, str | Sequence[str]], key: str) -> list[str]:
    value = raw.get(key)
    if value is None:
        return []
    parts = [value] if isinstance(value, str) else list(value)
    return [p.strip() for part in parts for p in part.split(",") if p.strip()]


def _vocab(
    raw: Mapping[str, str | Sequence[str]], key: str, allowed: Sequence[str], notices: list[str]
) -> tuple[str, ...]:
    kept = []
    for value in _values(raw, key):
        if value in allowed:
            kept.append(value)
        else:
            notices.append(f"Ignored unknown {key} {value[:40]!r}.")
    return tuple(dict.fromkeys(kept))


def _year(raw: Mapping[str, str | Sequence[str]], key: str, notices: list[str]) -> int | None:
    values = _values(raw, key)
    if not values:
        return None
    try:
        year = int(values[0])
    except ValueError:
        notices.append(f"Ignored bad year {values[0][:20]!r} in '{key}'.")
        return None
    if not YEAR_MIN <= year <= YEAR_MAX:
        notices.append(f"Ignored year {year} in '{key}': outside {YEAR_MIN}-{YEAR_MAX}.")
        return None
    return year


def parse_filters(
    raw: Mapping[str, str | Sequence[str]], known_companies: Sequence[str]
) -> ParsedFilters:
    """Filters from query parameters; unknown values become notices, never errors."""
    notices: list[str] = []
    filters = Filters(
        companies=_vocab(raw, "company", known_companies, notices),
        struggles=_vocab(raw, "struggle", cb.STRUGGLE.values, notices),
        tactics=_vocab(raw, "tactic", cb.TACTIC.values, notices),
        demand_types=_vocab(raw, "demand_type", cb.DEMAND_TYPE.values, notices),
        outcomes=_vocab(raw, "outcome", cb.OUTCOME.values, notices),
        year_from=_year(raw, "from", notices),
        year_to=_year(raw, "to", notices),
    )
    if (
        filters.year_from is not None
        and filters.year_to is not None
        and filters.year_from > filters.year_to
    ):
        notices.append("Ignored the year range: 'from' is after 'to'.")
        filters = Filters(**{**asdict(filters), "year_from": None, "year_to": None})
    return ParsedFilters(filters, notices)
