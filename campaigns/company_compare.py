"""Companies side by side: campaigns, success rate, response time and the mix of responses.

A parent company includes its subsidiaries at any depth (Alphabet includes Google, YouTube and
DeepMind), so one campaign can count under a parent and under its own company.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from campaigns import codebook as cb
from campaigns.analytics import retaliation_share, success_summary, survival_summary

COMPARE_COLUMNS = [
    "company", "slug", "campaigns", "decided", "won", "success_rate", "success_ci_low",
    "success_ci_high", "pending_excluded", "median_days_to_response", "responses",
    "retaliation_campaigns", "retaliation_known",
]  # fmt: skip
MIX_COLUMNS = ["company", "response_type", "responses", "share"]


def descendants(tree: pd.DataFrame, slug: str) -> set[str]:
    """``slug`` and the slugs of every subsidiary below it; ``tree`` has slug, parent_slug."""
    children: dict[str, list[str]] = {}
    for row in tree.itertuples(index=False):
        if isinstance(row.parent_slug, str) and row.parent_slug:
            children.setdefault(row.parent_slug, []).append(str(row.slug))
    found: set[str] = set()
    stack = [slug]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def _campaigns_of(campaigns: pd.DataFrame, tree: pd.DataFrame, slug: str) -> pd.DataFrame:
    if campaigns.empty:
        return campaigns
    return campaigns[campaigns["company_slug"].isin(descendants(tree, slug))]


def _name(tree: pd.DataFrame, slug: str) -> str:
    match = tree.loc[tree["slug"] == slug, "name"]
    return str(match.iloc[0]) if not match.empty else slug


def compare_companies(
    campaigns: pd.DataFrame,
    demands: pd.DataFrame,
    responses: pd.DataFrame,
    tree: pd.DataFrame,
    slugs: Sequence[str],
    as_of: date,
) -> pd.DataFrame:
    """One row per chosen company (subsidiaries included) with the figures behind each.

    The median days to first response is a Kaplan–Meier median: demands without a response
    yet count as still waiting, not as missing.
    """
    rows = []
    for slug in slugs:
        own = _campaigns_of(campaigns, tree, slug)
        ids = set(own["campaign_id"]) if not own.empty else set()
        own_demands = demands[demands["campaign_id"].isin(ids)] if not demands.empty else demands
        own_responses = (
            responses[responses["campaign_id"].isin(ids)] if not responses.empty else responses
        )
        summary = success_summary(own)
        waiting = survival_summary(own_demands, "response", as_of) if not own_demands.empty else {}
        retaliation = retaliation_share(own)
        rows.append(
            comparison_row(
                _name(tree, slug),
                slug,
                summary,
                waiting.get("median_days"),
                len(own_responses),
                retaliation,
            )
        )
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)


def response_mix(
    campaigns: pd.DataFrame, responses: pd.DataFrame, tree: pd.DataFrame, slugs: Sequence[str]
) -> pd.DataFrame:
    """Count and share of each response type per chosen company (every type, zeros kept)."""
    rows = []
    for slug in slugs:
        own = _campaigns_of(campaigns, tree, slug)
        ids = set(own["campaign_id"]) if not own.empty else set()
        types = (
            responses.loc[responses["campaign_id"].isin(ids), "response_type"]
            if not responses.empty
            else pd.Series(dtype=str)
        )
        rows.extend(mix_rows(_name(tree, slug), types.to_numpy()))
    return pd.DataFrame(rows, columns=MIX_COLUMNS)


def comparison_row(
    company: str,
    slug: str,
    summary: dict[str, Any],
    median_days_to_response: float | None,
    responses: int,
    retaliation: dict[str, Any],
) -> dict[str, Any]:
    """One company's row of the comparison table (COMPARE_COLUMNS)."""
    return {
        "company": company,
        "slug": slug,
        **{
            key: summary[key]
            for key in (
                "campaigns", "decided", "won", "success_rate", "success_ci_low",
                "success_ci_high", "pending_excluded",
            )
        },
        "median_days_to_response": median_days_to_response,
        "responses": responses,
        "retaliation_campaigns": retaliation["with_retaliation"],
        "retaliation_known": retaliation["n"],
    }  # fmt: skip


def mix_rows(company: str, types: np.ndarray) -> list[dict[str, Any]]:
    """One company's rows of the response mix (MIX_COLUMNS): each response type's count and
    share of the company's responses (``types``: the type of each response)."""
    total = len(types)
    rows = []
    for response_type in cb.RESPONSE_TYPE.values:
        count = int(np.count_nonzero(types == response_type))
        rows.append(
            {
                "company": company,
                "response_type": response_type,
                "responses": count,
                "share": count / total if total else 0.0,
            }
        )
    return rows
