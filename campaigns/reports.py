"""Reports assembled from the analytics for the CLI (and anything else that prints them)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from campaigns.analytics import (
    campaigns_frame,
    retaliation_share,
    success_by,
    success_by_demand_type,
    success_by_tactic,
    success_summary,
    survival_summary,
)
from campaigns.dataset import campaign_rows, demand_rows, load_coded_data
from campaigns.filters import Filters
from db.models import Action, Campaign, Company, Demand, Evidence, Post, Response

GROUPINGS = ("year", "company", "struggle", "tactic", "demand_type")


def record_counts(session: Session) -> dict[str, int]:
    """How many records of each kind the store holds (unfiltered)."""
    return {
        name: int(session.execute(select(func.count()).select_from(model)).scalar_one())
        for name, model in (
            ("campaigns", Campaign), ("demands", Demand), ("actions", Action),
            ("responses", Response), ("evidence", Evidence), ("companies", Company),
            ("posts", Post),
        )
    }  # fmt: skip


def _plain_value(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # numpy scalars -> Python numbers
    return value


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """A record with pandas' missing values (NaN) turned into None, for JSON and printing."""
    return {key: _plain_value(v) for key, v in row.items()}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [_plain({str(k): v for k, v in row.items()}) for row in frame.to_dict(orient="records")]


def stats_report(
    engine: Engine, filters: Filters = Filters(), *, as_of: date | None = None
) -> dict[str, Any]:
    """Counts, success rates (overall and by year, company, struggle, tactic, demand type),
    time to response and to outcome (Kaplan–Meier medians) and the retaliation share."""
    day = as_of or datetime.now(UTC).date()
    with Session(engine) as session:
        counts = record_counts(session)
        data = load_coded_data(session, filters)
        frame = campaigns_frame(campaign_rows(data))
        demands = pd.DataFrame(demand_rows(data))
    by_year = success_by(frame, "year")
    retaliation = retaliation_share(frame)
    low, high = retaliation.pop("ci")
    return {
        "filters": filters.describe(),
        "as_of": day.isoformat(),
        "counts": counts,
        "selected": {"campaigns": len(frame), "demands": len(demands)},
        "overall": success_summary(frame),
        "by_year": [{**row, "year": int(row["year"])} for row in _records(by_year)],
        "by_company": _records(success_by(frame, "company")),
        "by_struggle": _records(success_by(frame, "struggle")),
        "by_tactic": _records(success_by_tactic(frame)),
        "by_demand_type": _records(success_by_demand_type(demands)),
        "time_to_response": survival_summary(demands, "response", day),
        "time_to_outcome": survival_summary(demands, "outcome", day),
        "retaliation": {**retaliation, "ci_low": low, "ci_high": high},
        "notes": {
            "success_rate": "won / (won + partial + lost); pending and unknown left out and counted",
            "by_tactic": "a campaign counts once under each of its tactics",
            "by_demand_type": "counted over demands: met = won, partially_met = partial, "
            "not_met = lost",
            "time_to": "Kaplan–Meier; pending demands right-censored at as_of",
        },
    }
