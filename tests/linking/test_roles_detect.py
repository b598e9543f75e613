"""Role classification and code detection on posts written for these tests."""

from __future__ import annotations

import pytest

from campaigns.linking.detect import (
    detect_demand_type,
    detect_outcome,
    detect_response_type,
    detect_tactic,
)
from campaigns.linking.engine import LinkingEngine
from campaigns.linking.model import PostInput


@pytest.fixture(scope="module")
def linker() -> LinkingEngine:
    return LinkingEngine()


@pytest.mark.parametrize(
    ("text", "kind", "role"),
    [
        (
            "We demand that Salesforce end its contract with CBP. #NoTechForICE",
            "worker_group",
            "demand",
        ),
        (
            "More than 2,000 Microsoft employees signed an open letter against the Army contract.",
            "news",
            "action",
        ),
        (
            "Google says it will not renew the drone contract, a spokesperson told staff.",
            "news",
            "response",
        ),
        (
            "Five years since our walkout: Riot Games never ended forced arbitration.",
            "worker_group",
            "outcome",
        ),
        ("Apple unveils a new laptop with a faster chip and a lower price.", "news", "other"),
        ("my cat has staged a walkout over breakfast", None, "other"),
    ],
)
def test_roles(linker: LinkingEngine, text: str, kind: str | None, role: str) -> None:
    link = linker.analyse(PostInput(key="p", text=text, source_kind=kind))
    assert link.role == role, link.reasons
    assert link.reasons


def test_detectors_name_the_value_and_the_phrases() -> None:
    tactic = detect_tactic("Workers walked out at noon across the campus")
    assert tactic.value == "walkout" and tactic.phrases
    assert detect_demand_type("recognize our union and bargain with us").value == "recognition"
    assert detect_demand_type("Cancel the ICE contract").value == "end_contract_or_customer"
    assert detect_response_type("Kickstarter fired two union organizers").value == "retaliation"
    assert detect_response_type("Google decided not to renew Maven").value == "full_concession"
    assert detect_outcome("The union was voluntarily recognized: we won").value == "met"
    assert detect_tactic("").value is None
