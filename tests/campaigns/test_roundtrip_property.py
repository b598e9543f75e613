"""Export -> import -> export is the identity on random valid data sets (every bundle file)."""

from __future__ import annotations

import csv
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns import codebook as cb
from campaigns.csvsafe import neutralize
from campaigns.exports import export_bundle
from campaigns.imports import import_campaigns_csv
from db.engine import make_engine
from tests.factories import write_csv

AS_OF = date(2030, 1, 1)
BUNDLE_FILES = (
    "campaigns.csv", "demands.csv", "actions.csv", "responses.csv", "evidence.csv",
    "posts.csv", "codebook.csv", "datapackage.json",
)  # fmt: skip

# Text a spreadsheet or a CSV parser could trip on: formula starts, apostrophes, quotes,
# commas, semicolons, line breaks and non-ASCII letters.
TRICKY = "=+-@'\"\t,;\n\r éß中"
text = st.text(
    alphabet=st.one_of(
        st.sampled_from(TRICKY),
        st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=("Cs", "Cc")),
    ),
    min_size=1,
    max_size=30,
).map(str.strip)
some_text = text.filter(bool)
maybe_text = st.one_of(st.just(""), text)
ident = st.text(alphabet="abcxyz019-_=+@'.", min_size=1, max_size=12).map(str.strip).filter(bool)
name = st.text(alphabet="ABCabcxyz &.-", min_size=1, max_size=14).filter(
    lambda s: any(c.isalpha() for c in s)
)
company = st.one_of(st.sampled_from(["Amazon", "AWS", "Google", "GitHub", "Microsoft"]), name)
day = st.dates(min_value=date(2005, 1, 1), max_value=date(2029, 1, 1))


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""


@st.composite
def demand(draw: st.DrawFn, demand_id: str) -> dict[str, str]:
    stated = draw(st.one_of(st.none(), day))
    outcome = draw(st.sampled_from(cb.OUTCOME.values))
    outcome_on: date | None = None
    if outcome != "pending" and draw(st.booleans()):
        outcome_on = (stated or date(2005, 1, 1)) + timedelta(days=draw(st.integers(0, 900)))
    response_type = draw(st.one_of(st.just(""), st.sampled_from(cb.RESPONSE_TYPE.values)))
    responded = draw(st.one_of(st.none(), day)) if response_type else None
    return {
        "demand_id": demand_id,
        "demand": draw(some_text),
        "demand_type": draw(st.one_of(st.just(""), st.sampled_from(cb.DEMAND_TYPE.values))),
        "demand_date": iso(stated),
        "response_type": response_type,
        "response_date": iso(responded),
        "response_summary": draw(maybe_text) if response_type else "",
        "outcome": outcome,
        "outcome_date": iso(outcome_on),
        "evidence_urls": ";".join(
            draw(st.lists(st.sampled_from(["https://a.example/1", "https://b.example/x?y=1"])))
        ),
        "coded_by": draw(st.one_of(st.just(""), st.sampled_from(["human:ana", "engine:1"]))),
        "confidence": draw(st.one_of(st.just(""), st.floats(0, 1).map(repr))),
        "review_status": draw(st.sampled_from(cb.REVIEW_STATUS.values)),
    }


@st.composite
def data_sets(draw: st.DrawFn) -> list[dict[str, str]]:
    """Flat rows: 1-4 campaigns of 1-3 demands, campaign columns equal on each campaign's rows."""
    campaign_ids = draw(st.lists(ident, min_size=1, max_size=4, unique=True))
    rows: list[dict[str, str]] = []
    for number, campaign_id in enumerate(campaign_ids):
        campaign: dict[str, Any] = {
            "campaign_id": campaign_id,
            "campaign_title": draw(some_text),
            "company": draw(company),
            "business_unit": draw(maybe_text),
            "worker_group": draw(st.one_of(st.just(""), name)),
            "struggle": draw(st.one_of(st.just(""), st.sampled_from(cb.STRUGGLE.values))),
            "tactics": ";".join(draw(st.lists(st.sampled_from(cb.TACTIC.values), unique=True))),
            "retaliation": draw(st.sampled_from(["", "yes", "no"])),
        }
        demand_ids = draw(st.lists(ident, min_size=1, max_size=3, unique=True))
        for demand_id in demand_ids:
            rows.append({**campaign, **draw(demand(f"{number}{demand_id}"))})
    # Shuffled on purpose: the import must not depend on row order (the export sorts by id).
    return draw(st.permutations(rows))


def export_of(template: Path, work: Path, csv_file: Path, label: str) -> Path:
    """Import ``csv_file`` into a fresh copy of the migrated store and export the bundle."""
    database = work / f"{label}.db"
    shutil.copy(template, database)
    engine = make_engine(f"sqlite:///{database}")
    try:
        import_campaigns_csv(engine, csv_file)
        export_bundle(engine, work / label, as_of=AS_OF, key_loader=lambda: b"k" * 32)
    finally:
        engine.dispose()
    return work / label


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(rows=data_sets())
def test_export_import_export_is_the_identity(
    sqlite_template: Path, rows: list[dict[str, str]]
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        # The input is written as a spreadsheet-safe file, as our export writes it.
        safe = [{column: neutralize(value) for column, value in row.items()} for row in rows]
        first = export_of(sqlite_template, work, write_csv(work / "in.csv", safe), "a")
        second = export_of(sqlite_template, work, first / "demands.csv", "b")
        for name in BUNDLE_FILES:
            assert (first / name).read_bytes() == (second / name).read_bytes(), name
        with (first / "demands.csv").open(newline="", encoding="utf-8") as handle:
            exported = list(csv.DictReader(handle))
        by_id = sorted(rows, key=lambda r: (r["campaign_id"], r["demand_id"]))
        assert [r["demand_id"] for r in exported] == [r["demand_id"] for r in by_id]
