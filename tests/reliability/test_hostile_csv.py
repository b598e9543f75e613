"""Hostile CSV files: a clear FlatFileError or a correct import, never a traceback or a partial write.

hypothesis generates the files: random bytes, wrong encodings (latin-1, UTF-16, cp1252),
byte-order marks, huge cells, thousands of columns, spreadsheet formulas and NUL bytes, all
within rows that are otherwise valid. Every example compares the row counts of every table
before and after: a refused file writes nothing. ``INPUTS`` counts the files tried (printed
with ``-s``).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from campaigns.csvsafe import restore
from campaigns.flatfile import DEMAND_COLUMNS, MAX_CELL, FlatFileError
from campaigns.imports import import_campaigns_csv
from db.models import Campaign, Demand
from tests.factories import demand_row

pytestmark = pytest.mark.slow

INPUTS: Counter[str] = Counter()
HOSTILE = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
_serial = itertools.count()


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in SQLModel.metadata.sorted_tables
        }


def csv_text(rows: list[dict[str, str]], columns: list[str] | None = None) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(
        buffer, fieldnames=columns or list(DEMAND_COLUMNS), extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.fixture
def importer(engine: Engine, tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    yield engine, tmp_path
    print(f"\nhostile CSV inputs tried so far: {dict(INPUTS)} (total {sum(INPUTS.values())})")


def import_or_refuse(engine: Engine, directory: Path, data: bytes, kind: str) -> bool:
    """Import ``data``; True when imported. A refusal must be a FlatFileError that wrote nothing."""
    INPUTS[kind] += 1
    path = directory / f"hostile-{next(_serial)}.csv"
    path.write_bytes(data)
    before = table_counts(engine)
    try:
        import_campaigns_csv(engine, path)
    except FlatFileError as error:
        message = error.render()
        assert str(path) in message and "nothing was imported" in message
        assert error.errors and all(e.message for e in error.errors)
        assert table_counts(engine) == before, "a refused file changed the store"
        return False
    finally:
        path.unlink()
    return True


def stored(engine: Engine, demand_id: str) -> tuple[Demand, Campaign]:
    with Session(engine) as session:
        demand = session.get(Demand, demand_id)
        assert demand is not None
        campaign = session.get(Campaign, demand.campaign_id)
        assert campaign is not None
        return demand, campaign


def expected(cell: str) -> str:
    """What the store keeps for a text cell: trimmed, the formula guard removed."""
    return restore(cell.strip())


def as_utf8(value: str, encoding: str) -> str:
    """The cell as a UTF-8 reader sees it after it was saved in ``encoding``."""
    cell_encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    return value.encode(cell_encoding, errors="replace").decode("utf-8")


@HOSTILE
@given(data=st.binary(max_size=4000))
def test_random_bytes(importer: tuple[Engine, Path], data: bytes) -> None:
    engine, directory = importer
    import_or_refuse(engine, directory, data, "random bytes")


@HOSTILE
@given(
    header=st.sampled_from(["", ",".join(DEMAND_COLUMNS) + "\n"]),
    body=st.text(max_size=2000),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252", "utf-32"]),
)
def test_random_text_in_any_encoding(
    importer: tuple[Engine, Path], header: str, body: str, encoding: str
) -> None:
    engine, directory = importer
    data = (header + body).encode(encoding, errors="replace")
    import_or_refuse(engine, directory, data, "random text")


CELL = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]),
    max_size=300,
) | st.sampled_from(
    [
        '=HYPERLINK("http://evil.example","x")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1",
        "'=already quoted",
        "a\x00b",
        "\x00",
        "line one\nline two",
        'quote " inside',
        "\ufeffbom inside",
        "",
        " ",
    ]
)


@HOSTILE
@given(
    title=CELL,
    demand=CELL,
    summary=CELL,
    company=CELL | st.text(alphabet="&ﬃ㎒ AT-t.", min_size=1, max_size=160),
    group=CELL,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]),
    bom=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]),
)
def test_hostile_cells_in_valid_rows(
    importer: tuple[Engine, Path],
    title: str,
    demand: str,
    summary: str,
    company: str,
    group: str,
    encoding: str,
    bom: bytes,
) -> None:
    engine, directory = importer
    serial = next(_serial)
    row = demand_row(
        campaign_id=f"hostile-{serial}",
        demand_id=f"hostile-{serial}-d1",
        campaign_title=title,
        demand=demand,
        response_summary=summary,
        company=company,
        worker_group=group,
    )
    data = bom + csv_text([row]).encode(encoding, errors="replace")
    if import_or_refuse(engine, directory, data, "hostile cells"):
        stored_demand, campaign = stored(engine, f"hostile-{serial}-d1")
        # The format is UTF-8: a file that imports is read as UTF-8, whatever it was saved as.
        assert stored_demand.text == expected(as_utf8(demand, encoding))
        assert campaign.title == expected(as_utf8(title, encoding))


@HOSTILE
@given(
    length=st.integers(min_value=MAX_CELL - 5, max_value=MAX_CELL + 5000),
    column=st.sampled_from(["campaign_title", "demand", "response_summary", "business_unit"]),
)
def test_huge_cells(importer: tuple[Engine, Path], length: int, column: str) -> None:
    engine, directory = importer
    serial = next(_serial)
    row = demand_row(campaign_id=f"huge-{serial}", demand_id=f"huge-{serial}-d1")
    row[column] = "x" * length
    if import_or_refuse(engine, directory, csv_text([row]).encode(), "huge cells"):
        stored_demand, campaign = stored(engine, f"huge-{serial}-d1")
        assert len(stored_demand.text) + len(campaign.title) > 0


@settings(HOSTILE, max_examples=15)
@given(extra=st.integers(min_value=1000, max_value=5000), with_cells=st.booleans())
def test_thousands_of_columns(importer: tuple[Engine, Path], extra: int, with_cells: bool) -> None:
    engine, directory = importer
    serial = next(_serial)
    columns = [*DEMAND_COLUMNS, *(f"extra_{i}" for i in range(extra))]
    row = demand_row(campaign_id=f"wide-{serial}", demand_id=f"wide-{serial}-d1")
    if with_cells:
        row.update({f"extra_{i}": "=1+1" for i in range(extra)})
    if import_or_refuse(engine, directory, csv_text([row], columns).encode(), "wide files"):
        stored_demand, _ = stored(engine, f"wide-{serial}-d1")
        assert stored_demand.text == row["demand"]


@settings(HOSTILE, max_examples=30)
@given(
    extra_cells=st.integers(min_value=1, max_value=3000),
    position=st.integers(min_value=0, max_value=5),
)
def test_rows_longer_than_the_header(
    importer: tuple[Engine, Path], extra_cells: int, position: int
) -> None:
    engine, directory = importer
    rows = [demand_row(campaign_id=f"long-{i}", demand_id=f"long-{i}-d1") for i in range(6)]
    text = csv_text(rows).splitlines()
    text[position + 1] += "," * extra_cells
    imported = import_or_refuse(engine, directory, "\n".join(text).encode(), "long rows")
    assert not imported


def test_nul_bytes_anywhere_are_refused(engine: Engine, tmp_path: Path) -> None:
    good = csv_text([demand_row(campaign_id="nul", demand_id="nul-d1")]).encode()
    for offset in (0, 10, len(good) // 2, len(good) - 1):
        data = good[:offset] + b"\x00" + good[offset:]
        assert not import_or_refuse(engine, tmp_path, data, "NUL bytes")


def test_latin1_file_is_refused_with_the_fix(engine: Engine, tmp_path: Path) -> None:
    data = csv_text([demand_row(demand="Grève générale")]).encode("latin-1")
    path = tmp_path / "latin1.csv"
    path.write_bytes(data)
    with pytest.raises(FlatFileError, match=r"not UTF-8.*save the file as UTF-8"):
        import_campaigns_csv(engine, path)


def test_a_formula_cell_round_trips_as_text(engine: Engine, tmp_path: Path) -> None:
    row = demand_row(demand="=1+1 (a demand that looks like a formula)", campaign_id="f")
    data = csv_text([row]).encode()
    assert import_or_refuse(engine, tmp_path, data, "formulas")
    stored_demand, _ = stored(engine, row["demand_id"])
    assert stored_demand.text == "=1+1 (a demand that looks like a formula)"


@pytest.mark.parametrize("name", ["&" * 150, "ﬃ" * 150, "㎒" * 150, "x" * 151])
def test_company_names_that_grow_when_normalised(engine: Engine, tmp_path: Path, name: str) -> None:
    row = demand_row(company=name, campaign_id="grow", demand_id="grow-d1")
    if import_or_refuse(engine, tmp_path, csv_text([row]).encode(), "long company names"):
        _, campaign = stored(engine, "grow-d1")
        assert campaign.company_id is not None
