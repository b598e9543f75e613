"""Companies side by side: parents include subsidiaries; figures per company."""

from __future__ import annotations

from datetime import date

import pandas as pd

from campaigns.company_compare import compare_companies, descendants, response_mix

TREE = pd.DataFrame(
    [
        {"slug": "alphabet", "name": "Alphabet", "parent_slug": None},
        {"slug": "google", "name": "Google", "parent_slug": "alphabet"},
        {"slug": "youtube", "name": "YouTube", "parent_slug": "google"},
        {"slug": "tesla", "name": "Tesla", "parent_slug": None},
    ]
)


def frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    campaigns = pd.DataFrame(
        [
            {"campaign_id": "g1", "company_slug": "google", "status": "won", "retaliation": False},
            {"campaign_id": "y1", "company_slug": "youtube", "status": "lost", "retaliation": True},
            {
                "campaign_id": "y2",
                "company_slug": "youtube",
                "status": "pending",
                "retaliation": None,
            },
            {"campaign_id": "t1", "company_slug": "tesla", "status": "lost", "retaliation": True},
        ]
    )
    demands = pd.DataFrame(
        [
            {"demand_id": "g1-d1", "campaign_id": "g1", "demand_date": "2020-01-01",
             "response_type": "full_concession", "response_date": "2020-01-11",
             "outcome": "met", "outcome_date": "2020-02-01"},
            {"demand_id": "y1-d1", "campaign_id": "y1", "demand_date": "2020-01-01",
             "response_type": "retaliation", "response_date": "2020-01-31",
             "outcome": "not_met", "outcome_date": "2020-03-01"},
            {"demand_id": "y2-d1", "campaign_id": "y2", "demand_date": "2024-01-01",
             "response_type": None, "response_date": None, "outcome": "pending",
             "outcome_date": None},
            {"demand_id": "t1-d1", "campaign_id": "t1", "demand_date": "2020-01-01",
             "response_type": "reject", "response_date": "2020-01-03", "outcome": "not_met",
             "outcome_date": "2020-02-01"},
        ]
    )  # fmt: skip
    responses = pd.DataFrame(
        [
            {"campaign_id": "g1", "response_type": "full_concession"},
            {"campaign_id": "y1", "response_type": "retaliation"},
            {"campaign_id": "y1", "response_type": "reject"},
            {"campaign_id": "t1", "response_type": "reject"},
        ]
    )
    return campaigns, demands, responses


def test_descendants_go_down_every_level() -> None:
    assert descendants(TREE, "alphabet") == {"alphabet", "google", "youtube"}
    assert descendants(TREE, "youtube") == {"youtube"}


def test_a_parent_counts_its_subsidiaries_campaigns() -> None:
    campaigns, demands, responses = frames()
    table = compare_companies(
        campaigns, demands, responses, TREE, ["alphabet", "youtube", "tesla"], date(2025, 1, 1)
    ).set_index("slug")
    assert table.loc["alphabet", "campaigns"] == 3
    assert table.loc["alphabet", "decided"] == 2 and table.loc["alphabet", "won"] == 1
    assert table.loc["alphabet", "success_rate"] == 0.5
    assert table.loc["alphabet", "pending_excluded"] == 1
    assert table.loc["youtube", "campaigns"] == 2 and table.loc["youtube", "won"] == 0
    assert table.loc["tesla", "median_days_to_response"] == 2
    assert table.loc["alphabet", "retaliation_campaigns"] == 1
    assert table.loc["alphabet", "retaliation_known"] == 2
    assert table.loc["alphabet", "responses"] == 3


def test_response_mix_keeps_every_type_and_shares_add_up() -> None:
    campaigns, _, responses = frames()
    mix = response_mix(campaigns, responses, TREE, ["alphabet", "tesla"])
    alphabet = mix[mix["company"] == "Alphabet"].set_index("response_type")
    assert len(alphabet) == 9  # every response type, zeros kept
    assert alphabet.loc["retaliation", "responses"] == 1
    assert abs(alphabet["share"].sum() - 1.0) < 1e-9
    tesla = mix[mix["company"] == "Tesla"].set_index("response_type")
    assert tesla.loc["reject", "share"] == 1.0
