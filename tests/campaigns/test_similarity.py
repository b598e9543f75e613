"""Campaigns like this one: ranking, reasons, and how and how fast each ended."""

from __future__ import annotations

from datetime import date

import pandas as pd

from campaigns.similarity import SIMILAR_COLUMNS, similar_campaigns

AS_OF = date(2025, 1, 1)


def campaign(campaign_id: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "campaign_id": campaign_id,
        "title": None,
        "company": "Google",
        "parent_company": "Alphabet",
        "struggle": "ethics",
        "year": 2020,
        "status": "won",
        "tactics": "open_letter",
        "summary": None,
    }
    row.update(values)
    return row


def demand(campaign_id: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "campaign_id": campaign_id,
        "demand": "Cancel the military contract",
        "demand_type": "end_contract_or_customer",
        "demand_date": date(2020, 1, 1),
        "outcome": "met",
        "outcome_date": date(2020, 3, 1),
        "response_type": "full_concession",
        "response_date": date(2020, 2, 1),
    }
    row.update(values)
    return row


def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    campaigns = pd.DataFrame(
        [
            campaign("me", tactics="open_letter;petition"),
            campaign("twin", tactics="open_letter;petition", status="lost"),
            campaign("sibling", company="YouTube", struggle="pay_and_benefits", tactics="strike"),
            campaign(
                "stranger",
                company="Tesla",
                parent_company="Tesla",
                struggle="working_conditions",
                tactics="union_drive",
                status="pending",
            ),
        ]
    )
    demands = pd.DataFrame(
        [
            demand("me"),
            demand("twin", outcome="not_met", outcome_date=date(2020, 1, 31)),
            demand("sibling", demand="Raise pay", demand_type="pay_and_benefits"),
            demand(
                "stranger",
                demand="Recognise the union",
                demand_type="recognition",
                outcome="pending",
                outcome_date=None,
                response_type="retaliation",
                demand_date=date(2024, 12, 1),
            ),
        ]
    )
    return campaigns, demands


def test_the_most_similar_campaign_comes_first_with_its_reasons() -> None:
    campaigns, demands = frames()
    similar = similar_campaigns(campaigns, demands, "me", as_of=AS_OF)
    assert list(similar.columns) == SIMILAR_COLUMNS
    assert list(similar["campaign_id"]) == ["twin", "sibling"]  # stranger shares nothing
    twin = similar.iloc[0]
    assert "same company (Google)" in twin["reasons"]
    assert "tactics: open_letter, petition" in twin["reasons"]
    assert twin["ended"] == "lost in 30 days" and twin["days_to_end"] == 30
    assert "same group (Alphabet)" in similar.iloc[1]["reasons"]
    assert similar.iloc[0]["score"] > similar.iloc[1]["score"] > 0


def test_pending_campaigns_say_how_long_they_have_been_open() -> None:
    campaigns, demands = frames()
    similar = similar_campaigns(campaigns, demands, "stranger", as_of=AS_OF, limit=10)
    assert similar.empty  # nothing in common
    campaigns.loc[campaigns["campaign_id"] == "me", "company"] = "Tesla"
    similar = similar_campaigns(campaigns, demands, "me", as_of=AS_OF, limit=10)
    row = similar[similar["campaign_id"] == "stranger"].iloc[0]
    assert row["ended"] == "still open after 31 days"
    assert row["first_response"] == "retaliation"


def test_unknown_campaign_gives_an_empty_table() -> None:
    campaigns, demands = frames()
    assert similar_campaigns(campaigns, demands, "nope", as_of=AS_OF).empty
    assert similar_campaigns(campaigns.iloc[:0], demands.iloc[:0], "me", as_of=AS_OF).empty


def test_limit_caps_the_list() -> None:
    campaigns, demands = frames()
    assert len(similar_campaigns(campaigns, demands, "me", as_of=AS_OF, limit=1)) == 1
