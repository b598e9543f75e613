"""Campaigns like this one: the most similar other campaigns, and how and how fast each ended.

Similarity is a weighted sum of five plain parts, each between 0 and 1, so the reasons can be
shown next to the score: the same company (or a company of the same group: AWS and Whole
Foods under Amazon), shared demand types, shared tactics, the same struggle, and the words of
the title, summary and demands (TF-IDF cosine).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

WEIGHTS = {"company": 0.30, "demand_type": 0.20, "tactics": 0.15, "struggle": 0.15, "text": 0.20}
SIMILAR_COLUMNS = [
    "campaign_id",
    "title",
    "company",
    "year",
    "status",
    "first_response",
    "days_to_end",
    "ended",
    "score",
    "reasons",
]


def _items(value: object) -> set[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return set()
    return {part for part in str(value).split(";") if part}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _day(value: object) -> date | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def campaign_profiles(
    campaigns: pd.DataFrame, demands: pd.DataFrame, as_of: date
) -> list[dict[str, Any]]:
    """Per campaign: what it is (for matching) and how and how fast it ended.

    ``days_to_end`` counts from the first demand to the last outcome of a decided campaign, or
    to ``as_of`` for a pending one (then ``ended`` says it is still open).
    """
    by_campaign = (
        {key: group for key, group in demands.groupby("campaign_id", sort=False)}
        if not demands.empty
        else {}
    )
    profiles = []
    for row in campaigns.to_dict(orient="records"):
        group = by_campaign.get(row["campaign_id"], pd.DataFrame())
        stated = [d for d in map(_day, group.get("demand_date", [])) if d]
        outcomes = [d for d in map(_day, group.get("outcome_date", [])) if d]
        responses = (
            group.dropna(subset=["response_type"]).assign(_on=group["response_date"].map(_day))
            if not group.empty
            else group
        )
        first_response = None
        if not responses.empty:
            dated = responses.sort_values("_on", na_position="last")
            first_response = str(dated.iloc[0]["response_type"])
        start = min(stated) if stated else None
        status = row.get("status") or "unknown"
        days: int | None = None
        if start and status == "pending":
            days = (as_of - start).days
            ended = f"still open after {days} days"
        elif start and outcomes and status in ("won", "partial", "lost"):
            days = (max(outcomes) - start).days
            ended = f"{status} in {days} days"
        else:
            ended = status
        texts = [_text(row.get("title")), _text(row.get("summary"))]
        texts += [_text(t) for t in group.get("demand", [])]
        profiles.append(
            {
                "campaign_id": row["campaign_id"],
                "title": row.get("title"),
                "company": row.get("company"),
                "group": row.get("parent_company") or row.get("company"),
                "year": row.get("year"),
                "status": status,
                "struggle": row.get("struggle"),
                "tactics": _items(row.get("tactics")),
                "demand_types": {_text(t) for t in group.get("demand_type", []) if _text(t)},
                "text": " ".join(t for t in texts if t),
                "first_response": first_response,
                "days_to_end": days,
                "ended": ended,
            }
        )
    return profiles


def _text_similarity(texts: list[str], index: int) -> list[float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    if not any(t.strip() for t in texts):
        return [0.0] * len(texts)
    try:
        matrix = TfidfVectorizer(stop_words="english").fit_transform(texts)
    except ValueError:  # only stop words everywhere
        return [0.0] * len(texts)
    return [float(v) for v in cosine_similarity(matrix[index], matrix)[0]]


def similar_campaigns(
    campaigns: pd.DataFrame,
    demands: pd.DataFrame,
    campaign_id: str,
    *,
    as_of: date,
    limit: int = 5,
) -> pd.DataFrame:
    """The ``limit`` campaigns most like ``campaign_id``, best first, with the reasons.

    ``campaigns`` and ``demands`` are the dashboard's frames (campaign_rows / demand_rows);
    campaigns scoring 0 are left out.
    """
    profiles = campaign_profiles(campaigns, demands, as_of)
    positions = {p["campaign_id"]: i for i, p in enumerate(profiles)}
    if campaign_id not in positions:
        return pd.DataFrame(columns=SIMILAR_COLUMNS)
    me = profiles[positions[campaign_id]]
    text_scores = _text_similarity([p["text"] for p in profiles], positions[campaign_id])
    rows = []
    for i, other in enumerate(profiles):
        if other["campaign_id"] == campaign_id:
            continue
        row = similar_row(me, other, text_scores[i])
        if row["score"] > 0:
            rows.append(row)
    frame = pd.DataFrame(rows, columns=SIMILAR_COLUMNS)
    if frame.empty:
        return frame
    return frame.sort_values(["score", "campaign_id"], ascending=[False, True]).head(limit)


def similar_row(me: dict[str, Any], other: dict[str, Any], text_score: float) -> dict[str, Any]:
    """How alike ``other`` is to ``me`` (two campaign profiles): the table row with its score
    (the weighted parts) and the reasons a reader sees."""
    parts: dict[str, float] = {}
    reasons = []
    if me["company"] and other["company"] == me["company"]:
        parts["company"] = 1.0
        reasons.append(f"same company ({me['company']})")
    elif me["group"] and other["group"] == me["group"]:
        parts["company"] = 0.6
        reasons.append(f"same group ({me['group']})")
    parts["demand_type"] = _jaccard(me["demand_types"], other["demand_types"])
    if parts["demand_type"]:
        shared = sorted(me["demand_types"] & other["demand_types"])
        reasons.append("demand: " + ", ".join(shared))
    parts["tactics"] = _jaccard(me["tactics"], other["tactics"])
    if parts["tactics"]:
        reasons.append("tactics: " + ", ".join(sorted(me["tactics"] & other["tactics"])))
    if me["struggle"] and other["struggle"] == me["struggle"]:
        parts["struggle"] = 1.0
        reasons.append(f"struggle: {me['struggle']}")
    parts["text"] = float(text_score)
    if text_score >= 0.1:
        reasons.append(f"similar wording ({text_score:.2f})")
    score = sum(WEIGHTS[name] * value for name, value in parts.items())
    return {
        **{k: other[k] for k in SIMILAR_COLUMNS if k in other},
        "score": round(score, 3),
        "reasons": "; ".join(reasons),
    }
