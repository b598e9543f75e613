import pytest

from campaigns import codebook as cb


@pytest.mark.parametrize(
    ("outcomes", "status"),
    [
        (["met"], "won"),
        (["met", "met"], "won"),
        (["met", "not_met"], "partial"),
        (["partially_met"], "partial"),
        (["met", "unknown"], "partial"),
        (["not_met", "not_met"], "lost"),
        (["met", "pending"], "pending"),
        (["not_met", "pending"], "pending"),
        (["pending"], "pending"),
        (["not_met", "unknown"], "unknown"),
        (["unknown"], "unknown"),
        ([], "unknown"),
        ([None], "unknown"),
    ],
)
def test_rollup_follows_the_design_rules(outcomes: list[str], status: str) -> None:
    assert cb.rollup_status(outcomes) == status


def test_every_vocabulary_value_has_a_definition() -> None:
    for vocab in cb.VOCABULARIES:
        assert len(set(vocab.values)) == len(vocab.values), vocab.name
        for value in vocab.values:
            assert vocab.define(value).strip(), (vocab.name, value)


def test_design_vocabularies_are_exact() -> None:
    assert cb.OUTCOME.values == ("met", "partially_met", "not_met", "pending", "unknown")
    assert cb.RESPONSE_TYPE.values[0] == "retaliation"
    assert cb.RESPONSE_TYPE.values[-2:] == ("full_concession", "reversal")
    assert "end_contract_or_customer" in cb.DEMAND_TYPE
    assert len(cb.STRUGGLE.values) == 7


def test_codebook_rows_cover_every_value() -> None:
    rows = cb.codebook_rows()
    assert len(rows) == sum(len(v.values) for v in cb.VOCABULARIES)
    assert {
        "vocabulary": "outcome",
        "value": "pending",
        "definition": cb.OUTCOME.define("pending"),
    } in rows
