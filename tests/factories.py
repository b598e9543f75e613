"""Small factories for test data in the flat one-row-per-demand format."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from campaigns.flatfile import DEMAND_COLUMNS

PARLER_ROW: dict[str, str] = {
    "campaign_id": "aecj-parler-2021",
    "campaign_title": "Stop hosting Parler",
    "company": "Amazon",
    "business_unit": "AWS",
    "worker_group": "Amazon Employees for Climate Justice",
    "struggle": "ethics",
    "tactics": "online_campaign",
    "demand_id": "aecj-parler-2021-d1",
    "demand": "AWS should stop hosting Parler until violent posts are removed.",
    "demand_type": "end_contract_or_customer",
    "demand_date": "2021-01-09",
    "response_type": "full_concession",
    "response_date": "2021-01-09",
    "response_summary": "AWS told Parler it would suspend its account.",
    "outcome": "met",
    "outcome_date": "2021-01-10",
    "retaliation": "no",
    "evidence_urls": "https://www.theverge.com/2021/1/9/22221730/amazon-parler-aws-suspend",
    "coded_by": "human:test",
    "confidence": "0.9",
    "review_status": "confirmed",
}


def demand_row(**overrides: Any) -> dict[str, str]:
    """A valid row (the Parler demand) with any columns replaced."""
    row = dict(PARLER_ROW)
    row.update({k: "" if v is None else str(v) for k, v in overrides.items()})
    return row


def campaign_rows(
    campaign_id: str, outcomes: Iterable[str], *, year: int = 2020, **overrides: Any
) -> list[dict[str, str]]:
    """One campaign with one demand per outcome."""
    rows = []
    for i, outcome in enumerate(outcomes, start=1):
        rows.append(
            demand_row(
                campaign_id=campaign_id,
                campaign_title=f"Campaign {campaign_id}",
                demand_id=f"{campaign_id}-d{i}",
                demand=f"Demand {i} of {campaign_id}",
                demand_date=f"{year}-03-01",
                outcome=outcome,
                outcome_date="" if outcome in ("pending", "unknown") else f"{year}-04-01",
                **overrides,
            )
        )
    return rows


def write_csv(
    path: Path, rows: Iterable[dict[str, str]], columns: Iterable[str] = DEMAND_COLUMNS
) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path
