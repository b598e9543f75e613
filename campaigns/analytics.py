"""Figures computed from the flat data set: pure functions on DataFrames.

The dashboard, ``campaigns stats`` and the tests all call these, and they take exactly the
columns the export writes, so every figure can be recomputed from the export.
Pending campaigns are never failures: rates leave them out of the denominator and report how
many were left out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from campaigns import codebook as cb

STATUS_ORDER = ("won", "partial", "lost", "pending", "unknown")
DECIDED = ("won", "partial", "lost")


def campaigns_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Campaign rows (as :func:`campaigns.dataset.campaign_rows` gives them) as a DataFrame."""
    frame = pd.DataFrame(list(rows))
    if frame.empty:
        frame = pd.DataFrame(columns=["campaign_id", "title", "company", "year", "status"])
    return frame


def statuses_from_demands(demands: pd.DataFrame) -> pd.DataFrame:
    """Campaign id, year and status recomputed from ``demands.csv`` columns alone."""
    if demands.empty:
        return pd.DataFrame(columns=["campaign_id", "year", "status"])
    dates = pd.to_datetime(demands["demand_date"], errors="coerce")
    grouped = demands.assign(_date=dates).groupby("campaign_id", sort=True)
    return pd.DataFrame(
        {
            "year": grouped["_date"].min().dt.year.astype("Int64"),
            "status": grouped["outcome"].agg(
                lambda s: cb.rollup_status(None if pd.isna(v) else str(v) for v in s)
            ),
        }
    ).reset_index()


def outcomes_by_year(campaigns: pd.DataFrame) -> pd.DataFrame:
    """Count of campaigns per year of first demand and status (every status, zeros kept)."""
    dated = campaigns.dropna(subset=["year"]) if not campaigns.empty else campaigns
    if dated.empty:
        return pd.DataFrame(columns=["year", "status", "campaigns"])
    years = sorted(int(y) for y in dated["year"].unique())
    counts = dated.groupby([dated["year"].astype(int), "status"]).size()
    rows = [
        {"year": year, "status": status, "campaigns": int(counts.get((year, status), 0))}
        for year in years
        for status in STATUS_ORDER
    ]
    return pd.DataFrame(rows)


def wilson_interval(successes: int, total: int) -> tuple[float | None, float | None]:
    """Wilson score 95% interval for successes/total (None when total is 0)."""
    if total == 0:
        return None, None
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(successes, total, alpha=0.05, method="wilson")
    return float(low), float(high)


def success_summary(campaigns: pd.DataFrame) -> dict[str, Any]:
    """Success and at-least-partial rates over decided campaigns, with the counts behind them."""
    status = campaigns["status"] if not campaigns.empty else pd.Series(dtype=str)
    won, partial, lost = (int((status == s).sum()) for s in DECIDED)
    decided = won + partial + lost
    low, high = wilson_interval(won, decided)
    return {
        "campaigns": len(status),
        "won": won,
        "partial": partial,
        "lost": lost,
        "decided": decided,
        "n": decided,
        "pending_excluded": int((status == "pending").sum()),
        "unknown_excluded": int((status == "unknown").sum()),
        "success_rate": won / decided if decided else None,
        "success_ci_low": low,
        "success_ci_high": high,
        "at_least_partial_rate": (won + partial) / decided if decided else None,
    }


def success_by(campaigns: pd.DataFrame, column: str) -> pd.DataFrame:
    """:func:`success_summary` for each value of ``column`` (e.g. year, company, struggle)."""
    if campaigns.empty or column not in campaigns:
        return pd.DataFrame(columns=[column, *success_summary(campaigns).keys()])
    rows = []
    for value, group in campaigns.dropna(subset=[column]).groupby(column, sort=True):
        rows.append({column: value, **success_summary(group)})
    return pd.DataFrame(rows)


# --- grouping by several values per campaign -------------------------------------------------


def _split_list(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [part for part in str(value).split(";") if part]


def success_by_tactic(campaigns: pd.DataFrame) -> pd.DataFrame:
    """:func:`success_summary` per tactic from the ``;``-joined ``tactics`` column.

    A campaign with several tactics counts once under each of them, so the rows do not add up
    to the number of campaigns; campaigns without a recorded tactic are left out.
    """
    if campaigns.empty or "tactics" not in campaigns:
        return success_by(pd.DataFrame(), "tactic")
    exploded = campaigns.assign(tactic=campaigns["tactics"].map(_split_list)).explode("tactic")
    return success_by(exploded.dropna(subset=["tactic"]), "tactic")


DEMAND_STATUS = {"met": "won", "partially_met": "partial", "not_met": "lost"}


def success_by_demand_type(demands: pd.DataFrame) -> pd.DataFrame:
    """Success per demand type, counted over demands (not campaigns).

    A demand is won when met, partial when partly met, lost when not met; pending and unknown
    demands are left out of the denominator and counted, exactly as for campaigns.
    """
    if demands.empty or "demand_type" not in demands:
        return success_by(pd.DataFrame(), "demand_type")
    outcome = demands["outcome"].fillna("unknown").astype(str)
    frame = demands.assign(status=outcome.map(lambda o: DEMAND_STATUS.get(o, o)))
    return success_by(frame, "demand_type")


def retaliation_share(campaigns: pd.DataFrame) -> dict[str, Any]:
    """Share of campaigns that met retaliation, among those where it is known, with a Wilson CI.

    Pending campaigns are included (retaliation can come before any outcome); campaigns with
    retaliation not recorded are left out and counted in ``unknown_excluded``.
    """
    values = campaigns["retaliation"] if "retaliation" in campaigns else pd.Series(dtype=object)
    known = [_as_flag(v) for v in values]
    flags = [v for v in known if v is not None]
    n, hits = len(flags), sum(flags)
    low, high = wilson_interval(hits, n)
    status = campaigns["status"] if "status" in campaigns else pd.Series(dtype=str)
    return {
        "campaigns": len(known),
        "n": n,
        "with_retaliation": hits,
        "share": hits / n if n else None,
        "ci": (low, high),
        "unknown_excluded": len(known) - n,
        "pending_included": int((status == "pending").sum()),
    }


def _as_flag(value: object) -> bool | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "1"):
        return True
    if text in ("no", "false", "0"):
        return False
    return None


# --- time to response / outcome (survival) ---------------------------------------------------

RESOLVED = ("met", "partially_met", "not_met")
EVENT_COLUMNS = ["demand_id", "campaign_id", "duration_days", "observed"]


def _day(value: object) -> date | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _text(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value) or None


def time_to_event(demands: pd.DataFrame, event: str, as_of: date) -> pd.DataFrame:
    """Days from a demand to its first response (``event="response"``) or to its outcome.

    Demands that have not reached the event are right-censored: pending ones at ``as_of``
    (the day of the export), resolved ones without a recorded response at their outcome date.
    ``no_response`` is not a response. Demands with an unknown outcome and no event, without a
    demand date, or dated after ``as_of`` are left out; ``frame.attrs`` counts each group
    (``unknown_excluded``, ``undated_excluded``, ``pending_censored``, ``censored``, ``n``).
    """
    if event not in ("response", "outcome"):
        raise ValueError(f"event must be 'response' or 'outcome', not {event!r}")
    rows: list[dict[str, Any]] = []
    unknown = undated = pending = 0
    for record in demands.to_dict(orient="records"):
        start = _day(record.get("demand_date"))
        outcome = _text(record.get("outcome")) or "unknown"
        outcome_on = _day(record.get("outcome_date"))
        if event == "outcome":
            reached = outcome_on if outcome in RESOLVED else None
            stop = None
        else:
            has_response = (_text(record.get("response_type")) or "no_response") != "no_response"
            reached = _day(record.get("response_date")) if has_response else None
            stop = outcome_on if outcome in RESOLVED else None
        if start is None or (reached is None and outcome in RESOLVED and stop is None):
            undated += 1
            continue
        if reached is not None:
            end, observed = reached, True
        elif outcome == "pending":
            end, observed = as_of, False
            pending += 1
        elif stop is not None:
            end, observed = stop, False
        else:
            unknown += 1
            continue
        if end < start:
            undated += 1  # as_of (or a date) before the demand: no usable duration
            continue
        rows.append(
            {
                "demand_id": record.get("demand_id"),
                "campaign_id": record.get("campaign_id"),
                "duration_days": (end - start).days,
                "observed": observed,
            }
        )
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    frame["duration_days"] = frame["duration_days"].astype("int64")
    frame["observed"] = frame["observed"].astype(bool)
    frame.attrs.update(
        {
            "event": event,
            "as_of": as_of.isoformat(),
            "n": len(frame),
            "events": int(frame["observed"].sum()),
            "censored": int((~frame["observed"]).sum()),
            "pending_censored": pending,
            "unknown_excluded": unknown,
            "undated_excluded": undated,
        }
    )
    return frame


@dataclass(frozen=True)
class KaplanMeier:
    """A Kaplan–Meier curve (95% log(-log) pointwise CI) with its median and the counts."""

    curve: pd.DataFrame  # days, survival, ci_low, ci_high
    median_days: float | None
    median_ci_low: float | None
    median_ci_high: float | None
    n: int
    events: int
    censored: int


def _finite(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) or math.isinf(number) else number


def kaplan_meier(
    durations: Sequence[float] | pd.Series, observed: Sequence[bool] | pd.Series
) -> KaplanMeier:
    """Fit a Kaplan–Meier estimator (lifelines); the median is None when never reached."""
    times = [float(d) for d in durations]
    flags = [bool(o) for o in observed]
    if len(times) != len(flags):
        raise ValueError("durations and observed must have the same length")
    if not times:
        empty = pd.DataFrame(columns=["days", "survival", "ci_low", "ci_high"])
        return KaplanMeier(empty, None, None, None, 0, 0, 0)
    from lifelines import KaplanMeierFitter

    fitter = KaplanMeierFitter().fit(times, event_observed=flags)
    return fitted_curve(fitter, n=len(times), events=sum(flags))


def fitted_curve(fitter: Any, *, n: int, events: int) -> KaplanMeier:
    """A fitted lifelines ``KaplanMeierFitter`` as our result: the curve with its 95% band,
    the median with its interval, and the counts (``n`` durations, ``events`` observed)."""
    from lifelines.utils import median_survival_times

    survival = fitter.survival_function_.iloc[:, 0]
    bounds = fitter.confidence_interval_
    curve = pd.DataFrame(
        {
            "days": survival.index.to_numpy(dtype=float),
            "survival": survival.to_numpy(dtype=float),
            "ci_low": bounds.iloc[:, 0].to_numpy(dtype=float),
            "ci_high": bounds.iloc[:, 1].to_numpy(dtype=float),
        }
    )
    median_bounds = median_survival_times(bounds)
    return KaplanMeier(
        curve=curve,
        median_days=_finite(fitter.median_survival_time_),
        median_ci_low=_finite(median_bounds.iloc[0, 0]),
        median_ci_high=_finite(median_bounds.iloc[0, 1]),
        n=n,
        events=events,
        censored=n - events,
    )


def survival_summary(demands: pd.DataFrame, event: str, as_of: date) -> dict[str, Any]:
    """Median days to ``event`` with its 95% CI and every count behind it (for reports)."""
    frame = time_to_event(demands, event, as_of)
    fit = kaplan_meier(frame["duration_days"], frame["observed"])
    return {
        "event": event,
        "as_of": as_of.isoformat(),
        "n": fit.n,
        "events": fit.events,
        "censored": fit.censored,
        "pending_censored": frame.attrs["pending_censored"],
        "unknown_excluded": frame.attrs["unknown_excluded"],
        "undated_excluded": frame.attrs["undated_excluded"],
        "median_days": fit.median_days,
        "median_ci_low": fit.median_ci_low,
        "median_ci_high": fit.median_ci_high,
    }
