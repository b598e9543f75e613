from pathlib import Path

import pytest

from campaigns.csvsafe import neutralize, restore
from campaigns.flatfile import DEMAND_COLUMNS, FlatFileError, read_file
from tests.factories import demand_row, write_csv


def errors_of(path: Path) -> list[tuple[int, str]]:
    with pytest.raises(FlatFileError) as info:
        read_file(path)
    return [(e.row, e.column) for e in info.value.errors]


def test_valid_file_reads(tmp_path: Path) -> None:
    rows = read_file(write_csv(tmp_path / "ok.csv", [demand_row()]))
    assert rows[0].demand_date.isoformat() == "2021-01-09"
    assert rows[0].tactics == ("online_campaign",)
    assert rows[0].retaliation is False


def test_missing_column_is_named(tmp_path: Path) -> None:
    columns = [c for c in DEMAND_COLUMNS if c != "outcome"]
    path = write_csv(tmp_path / "bad.csv", [demand_row()], columns)
    assert errors_of(path) == [(1, "outcome")]


def test_every_bad_row_and_column_is_named(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        [
            demand_row(),
            demand_row(demand_id="d2", outcome="won"),
            demand_row(demand_id="d3", demand_date="09/01/2021"),
            demand_row(demand_id="d4", outcome_date="2021-01-01"),
            demand_row(demand_id="aecj-parler-2021-d1"),
            demand_row(demand_id="d6", tactics="walkout;sitin", confidence="1.5"),
        ],
    )
    assert errors_of(path) == [
        (3, "outcome"),
        (4, "demand_date"),
        (5, "outcome_date"),
        (7, "tactics"),
        (7, "confidence"),
        (6, "demand_id"),
    ]


def test_error_message_says_what_to_do(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [demand_row(struggle="vibes")])
    with pytest.raises(FlatFileError) as info:
        read_file(path)
    message = str(info.value)
    assert "bad.csv" in message and "row 2, column struggle" in message
    assert "'vibes' is not one of" in message and "nothing was imported" in message


def test_campaign_columns_must_agree(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv", [demand_row(), demand_row(demand_id="d2", company="Google")]
    )
    assert errors_of(path) == [(3, "company")]


def test_pending_with_outcome_date_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [demand_row(outcome="pending")])
    assert errors_of(path) == [(2, "outcome_date")]


def test_non_utf8_file_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(",".join(DEMAND_COLUMNS).encode() + b"\n\xe9\xe9\n")
    with pytest.raises(FlatFileError, match="not UTF-8"):
        read_file(path)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bom.csv", [demand_row()])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(read_file(path)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "'quoted",
        "plain",
        "＝1+1",
        "＋1",
        "－1",
        "＠A1",
    ],
)
def test_formula_neutralising_round_trips(text: str) -> None:
    safe = neutralize(text)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"))
    assert restore(safe) == text
