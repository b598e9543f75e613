"""The analytics' figures from counts: what the dashboard computes for any filter in a blink.

:mod:`campaigns.analytics` takes the export's rows; these functions take what those rows
reduce to (status codes per group, each demand's duration once per day, distinct durations with
their counts) and return the same figures, so a filter costs array operations over codes
instead of a pass over every row. ``tests/dashboard/test_summary.py`` checks each one against
its analytics function.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from campaigns.analytics import (
    RESOLVED,
    STATUS_ORDER,
    KaplanMeier,
    _day,
    _text,
    fitted_curve,
    kaplan_meier,
    wilson_interval,
)

# Status codes: the index in STATUS_ORDER (won, partial, lost, pending, unknown), OTHER for
# anything else (a missing status counts in ``campaigns`` and in none of the groups).
OTHER = len(STATUS_ORDER)
N_STATUS = OTHER + 1


def status_codes(status: pd.Series) -> np.ndarray:
    codes = {value: i for i, value in enumerate(STATUS_ORDER)}
    return np.fromiter((codes.get(v, OTHER) for v in status), np.int64, len(status))


@functools.lru_cache(maxsize=4096)
def _wilson(successes: int, total: int) -> tuple[float | None, float | None]:
    return wilson_interval(successes, total)


def summary_of_counts(counts: np.ndarray) -> dict[str, Any]:
    """:func:`campaigns.analytics.success_summary` from the count of each status code."""
    won, partial, lost, pending, unknown = (int(c) for c in counts[:OTHER])
    decided = won + partial + lost
    low, high = _wilson(won, decided)
    return {
        "campaigns": int(counts.sum()),
        "won": won,
        "partial": partial,
        "lost": lost,
        "decided": decided,
        "n": decided,
        "pending_excluded": pending,
        "unknown_excluded": unknown,
        "success_rate": won / decided if decided else None,
        "success_ci_low": low,
        "success_ci_high": high,
        "at_least_partial_rate": (won + partial) / decided if decided else None,
    }


SUMMARY_KEYS = list(summary_of_counts(np.zeros(N_STATUS, np.int64)))


def success_by_codes(
    column: str, codes: np.ndarray, values: Sequence[Any], status: np.ndarray
) -> pd.DataFrame:
    """:func:`campaigns.analytics.success_by` from group codes (-1: no value) and status codes.

    ``values`` are the sorted group values the codes point into (``pd.factorize(sort=True)``).
    """
    if len(codes) == 0:
        return pd.DataFrame(columns=[column, *SUMMARY_KEYS])
    valued = codes >= 0
    matrix = np.bincount(
        codes[valued] * N_STATUS + status[valued], minlength=len(values) * N_STATUS
    ).reshape(-1, N_STATUS)
    rows = [
        {column: values[int(i)], **summary_of_counts(matrix[i])}
        for i in np.flatnonzero(matrix.sum(axis=1))
    ]
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Events:
    """Per demand, what :func:`campaigns.analytics.time_to_event` does with it on ``as_of``."""

    included: np.ndarray  # bool: a row of the time_to_event frame
    duration_days: np.ndarray  # int64 (0 where not included)
    observed: np.ndarray  # bool
    pending: np.ndarray  # bool: counted in pending_censored
    unknown: np.ndarray  # bool: counted in unknown_excluded
    undated: np.ndarray  # bool: counted in undated_excluded


def demand_events(demands: pd.DataFrame, event: str, as_of: date) -> Events:
    """The per-demand step of ``time_to_event``, record by record in the same order of tests."""
    if event not in ("response", "outcome"):
        raise ValueError(f"event must be 'response' or 'outcome', not {event!r}")
    n = len(demands)
    included, observed = np.zeros(n, bool), np.zeros(n, bool)
    pending, unknown, undated = np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool)
    duration = np.zeros(n, np.int64)
    columns = [
        demands[c] if c in demands else pd.Series([None] * n, dtype=object)
        for c in ("demand_date", "outcome", "outcome_date", "response_type", "response_date")
    ]
    for i, (stated, outcome_value, outcome_date, response_type, response_date) in enumerate(
        zip(*columns, strict=True)
    ):
        start = _day(stated)
        outcome = _text(outcome_value) or "unknown"
        outcome_on = _day(outcome_date)
        if event == "outcome":
            reached = outcome_on if outcome in RESOLVED else None
            stop = None
        else:
            has_response = (_text(response_type) or "no_response") != "no_response"
            reached = _day(response_date) if has_response else None
            stop = outcome_on if outcome in RESOLVED else None
        if start is None or (reached is None and outcome in RESOLVED and stop is None):
            undated[i] = True
            continue
        if reached is not None:
            end, seen = reached, True
        elif outcome == "pending":
            end, seen = as_of, False
            pending[i] = True
        elif stop is not None:
            end, seen = stop, False
        else:
            unknown[i] = True
            continue
        if end < start:
            undated[i] = True
            continue
        included[i], observed[i], duration[i] = True, seen, (end - start).days
    return Events(included, duration, observed, pending, unknown, undated)


def kaplan_meier_counted(durations: np.ndarray, observed: np.ndarray) -> KaplanMeier:
    """:func:`campaigns.analytics.kaplan_meier`, fitted on each distinct (days, observed) once.

    lifelines weighs each distinct pair by how often it occurs, which gives the same event
    table (whole counts) and so the same curve, median and intervals, from a few thousand rows
    however many demands there are.
    """
    if len(durations) == 0:
        return kaplan_meier([], [])
    from lifelines import KaplanMeierFitter

    pairs, counts = np.unique(
        durations.astype(np.int64) * 2 + observed.astype(np.int64), return_counts=True
    )
    fitter = KaplanMeierFitter().fit(
        (pairs // 2).astype(float), event_observed=(pairs % 2).astype(bool), weights=counts
    )
    return fitted_curve(fitter, n=len(durations), events=int(observed.sum()))


@dataclass(frozen=True)
class Survival:
    """A filtered ``time_to_event`` reduced to what the pages show: the fit and the counts."""

    fit: KaplanMeier
    attrs: dict[str, Any]

    def summary(self) -> dict[str, Any]:
        """The same dict as :func:`campaigns.analytics.survival_summary`."""
        return {
            "event": self.attrs["event"],
            "as_of": self.attrs["as_of"],
            "n": self.fit.n,
            "events": self.fit.events,
            "censored": self.fit.censored,
            "pending_censored": self.attrs["pending_censored"],
            "unknown_excluded": self.attrs["unknown_excluded"],
            "undated_excluded": self.attrs["undated_excluded"],
            "median_days": self.fit.median_days,
            "median_ci_low": self.fit.median_ci_low,
            "median_ci_high": self.fit.median_ci_high,
        }
