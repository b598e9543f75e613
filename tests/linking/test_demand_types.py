"""The type of a demand: the demand-type phrases, the phrases that only type a post already read
as a demand, and the learned model where no phrase names a type."""

from __future__ import annotations

from datetime import datetime

import pytest

from campaigns.codebook import DEMAND_TYPE
from campaigns.linking.detect import detect_demand_type, type_demand
from campaigns.linking.engine import LinkingEngine
from campaigns.linking.model import PostInput


def _demand(text: str) -> PostInput:
    return PostInput(
        key="x:1",
        text=text,
        posted_at=datetime(2024, 3, 1),
        platform="x",
        author_handle="ridersunited",
        source_kind="worker_group",
    )


@pytest.mark.parametrize(
    ("text", "demand_type", "phrase"),
    [
        (
            "£1.10 a mile doesn't cover fuel, insurance or the car. We want £2 a mile, Uber.",
            "pay_and_benefits",
            "a mile",
        ),
        (
            "Shoppers' earnings per order fell by a third with the new app. Instacart, bring "
            "the old formula back.",
            "pay_and_benefits",
            "earnings",
        ),
        (
            "Riders at the Berlin hubs want a works council. Gorillas, stop blocking the election.",
            "recognition",
            "works council",
        ),
        (
            "We are forming our union with CWA. Activision, recognize the QA guild and come to "
            "the table.",
            "recognition",
            "forming our union",
        ),
        (
            "She was suspended for a post about the heat in the warehouse. Put her back on the "
            "schedule, Amazon.",
            "personnel",
            "put her back",
        ),
        (
            "Forty of us were let go by video call with no reason given. Meta owes every one of "
            "them an explanation, in writing.",
            "transparency",
            "explanation",
        ),
        # Salesforce and CBP, June 2018
        (
            "Salesforce workers ask leadership to re-examine our contract with Customs and "
            "Border Protection while families are separated at the border.",
            "end_contract_or_customer",
            "our contract with",
        ),
    ],
)
def test_a_demand_is_typed_by_the_phrases_that_only_type_demands(
    text: str, demand_type: str, phrase: str
) -> None:
    link = LinkingEngine().analyse(_demand(text))
    assert link.role == "demand"
    assert link.demand_type == demand_type
    assert any(r.startswith(f"demand type {demand_type}:") and phrase in r for r in link.reasons)


def test_typing_phrases_are_no_role_cue() -> None:
    # "earnings" and "works council" type a demand but do not make a post one: the role cues
    # read only the demand-type phrases
    for text in ("their earnings rose 4% this quarter", "a works council meets on tuesday"):
        assert detect_demand_type(text).value is None
        assert type_demand(text).value is not None


def test_a_demand_no_phrase_types_takes_the_model_type() -> None:
    link = LinkingEngine().analyse(
        _demand("The ask from parents here is modest: backup daycare for flu days and snow days.")
    )
    assert link.role == "demand"
    assert link.demand_type in DEMAND_TYPE.values
    assert any(r.startswith(f"demand type {link.demand_type} (model p=") for r in link.reasons)


@pytest.mark.parametrize(
    ("text", "demand_type"),
    [
        (
            "Salesforce employees ask the company to publish the full list of its government "
            "contracts.",
            "transparency",
        ),
        ("Cancel the CBP contract.", "end_contract_or_customer"),
    ],
)
def test_contracts_to_be_made_known_are_a_transparency_demand(text: str, demand_type: str) -> None:
    assert detect_demand_type(text).value == demand_type
