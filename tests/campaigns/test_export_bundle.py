"""The export bundle: Frictionless validity, privacy of post authors, safety, streaming."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import cast

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from campaigns import records
from campaigns.cli import app
from campaigns.csvsafe import FORMULA_STARTS, restore
from campaigns.exports import export_bundle, export_zip
from campaigns.filters import Filters
from campaigns.imports import import_campaigns_csv
from campaigns.privacy import KEY_ENV, KEY_FILE, normalize_handle, pseudonym
from campaigns.store import DEMO_CSV
from db.engine import dispose_engines, session_scope
from db.models import Organization, Post, Source
from tests.factories import campaign_rows, demand_row, write_csv

AS_OF = date(2024, 6, 1)
KEY = b"test-key-0123456789abcdef"
HYPERLINK = '=HYPERLINK("http://x","y")'
GROUP_HANDLE = "aecj.bsky.social"
PERSON_HANDLE = "jane-doe-organizer.bsky.social"


def fixed_key() -> bytes:
    return KEY


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_demo(engine: Engine, tmp_path: Path) -> None:
    """The shipped demo campaigns, or factory rows when the demo file is not there yet."""
    if DEMO_CSV.exists():
        import_campaigns_csv(engine, DEMO_CSV)
        return
    rows = [
        demand_row(),
        *campaign_rows("gh-ice", ["not_met"], year=2019, company="GitHub", business_unit=""),
        *campaign_rows("g-maven", ["met", "partially_met"], year=2018, company="Google"),
        *campaign_rows("nimbus", ["pending"], year=2021, company="Google", retaliation="yes"),
    ]
    import_campaigns_csv(engine, write_csv(tmp_path / "demo.csv", rows))


def add_posts(engine: Engine) -> dict[str, int]:
    """A worker group's source with its own post, a person's post, and a formula post."""
    with session_scope(engine) as session:
        group = Organization(slug="aecj", name="Amazon Employees for Climate Justice")
        session.add(group)
        session.flush()
        source = Source(
            platform="bluesky", handle=GROUP_HANDLE, kind="worker_group",
            owner_organization_id=group.id,
        )  # fmt: skip
        news = Source(platform="feed", handle="https://news.example/feed.xml", kind="news")
        session.add_all([source, news])
        session.flush()
        when = datetime(2021, 1, 9, 15, 30, tzinfo=UTC)
        posts = {
            "group": Post(
                platform="bluesky", platform_post_id="at://group/1", source_id=source.id,
                author_handle="@AECJ.bsky.social", url="https://bsky.app/profile/aecj/post/1",
                text="AWS must stop hosting Parler.", posted_at=when, lang="en",
            ),
            "person": Post(
                platform="bluesky", platform_post_id=f"at://{PERSON_HANDLE}/2",
                source_id=source.id, author_handle=PERSON_HANDLE,
                url=f"https://bsky.app/profile/{PERSON_HANDLE}/post/2",
                text="I signed the letter.", posted_at=when,
            ),
            "formula": Post(
                platform="feed", platform_post_id="https://news.example/a", source_id=news.id,
                author_handle="A Reporter", url="https://news.example/a", text=HYPERLINK,
                posted_at=when,
            ),
        }  # fmt: skip
        session.add_all(posts.values())
        session.flush()
        ids = {name: post.id for name, post in posts.items()}
        for name in ("group", "person"):
            post = posts[name]
            records.add_evidence(
                session, record_type="demand", record_id="aecj-parler-2021-d1",
                url=str(post.url), actor="human:test", kind="worker_post", post_id=ids[name],
            )  # fmt: skip
    return {k: int(v) for k, v in ids.items() if v is not None}


def frictionless_errors(descriptor: Path) -> list[str]:
    from frictionless import validate

    report = validate(str(descriptor))
    return [f"{error.type}: {error.message}" for task in report.tasks for error in task.errors]


def test_demo_bundle_passes_frictionless_validate(sqlite_engine: Engine, tmp_path: Path) -> None:
    load_demo(sqlite_engine, tmp_path)
    result = export_bundle(sqlite_engine, tmp_path / "bundle", as_of=AS_OF, key_loader=fixed_key)
    assert result.files["demands.csv"] > 0
    command = [sys.executable, "-m", "frictionless", "validate", "datapackage.json"]
    done = subprocess.run(
        command, cwd=tmp_path / "bundle", capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "VALID" in done.stdout


def test_validation_catches_a_broken_bundle(sqlite_engine: Engine, tmp_path: Path) -> None:
    load_demo(sqlite_engine, tmp_path)
    export_bundle(sqlite_engine, tmp_path / "b", as_of=AS_OF, key_loader=fixed_key)
    demands = tmp_path / "b" / "demands.csv"
    text = demands.read_text(encoding="utf-8").splitlines(keepends=True)
    text[1] = "no-such-campaign" + text[1][text[1].index(",") :]
    demands.write_text("".join(text), encoding="utf-8")
    kinds = {e.split(":")[0] for e in frictionless_errors(tmp_path / "b" / "datapackage.json")}
    assert {"foreign-key", "hash-count"} <= kinds


def test_descriptor_documents_every_column(sqlite_engine: Engine, tmp_path: Path) -> None:
    load_demo(sqlite_engine, tmp_path)
    export_bundle(
        sqlite_engine, tmp_path / "b", Filters(struggles=("ethics",)), as_of=AS_OF,
        key_loader=fixed_key,
    )  # fmt: skip
    package = json.loads((tmp_path / "b" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"] and "citation" in package
    assert package["filters"]["struggles"] == ["ethics"]
    for resource in package["resources"]:
        header = (tmp_path / "b" / resource["path"]).read_text(encoding="utf-8").splitlines()[0]
        fields = resource["schema"]["fields"]
        assert header.split(",") == [f["name"] for f in fields]
        assert all(f["type"] and f["description"] for f in fields)
    demands = next(r for r in package["resources"] if r["name"] == "demands")
    outcome = next(f for f in demands["schema"]["fields"] if f["name"] == "outcome")
    assert outcome["constraints"]["enum"] == [
        "met",
        "partially_met",
        "not_met",
        "pending",
        "unknown",
    ]
    assert demands["schema"]["foreignKeys"][0]["reference"]["resource"] == "campaigns"
    assert all(r["campaign_id"] for r in read_csv(tmp_path / "b" / "campaigns.csv"))
    assert {r["struggle"] for r in read_csv(tmp_path / "b" / "campaigns.csv")} == {"ethics"}


def test_posts_keep_groups_by_name_and_pseudonymise_people(engine: Engine, tmp_path: Path) -> None:
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", [demand_row()]))
    add_posts(engine)
    export_bundle(engine, tmp_path / "b", as_of=AS_OF, key_loader=fixed_key)
    posts = {p["text"]: p for p in read_csv(tmp_path / "b" / "posts.csv")}
    group = posts["AWS must stop hosting Parler."]
    assert group["author_type"] == "organization_or_company"
    assert group["author"] == "'@AECJ.bsky.social"  # kept by name, and neutralised ('@')
    assert restore(group["author"]) == "@AECJ.bsky.social"
    assert group["url"] and group["source"] == GROUP_HANDLE
    assert group["posted_at"] == "2021-01-09T15:30:00Z"
    person = posts["I signed the letter."]
    assert person["author_type"] == "pseudonym"
    assert person["author"] == pseudonym(KEY, "bluesky", PERSON_HANDLE)
    assert person["url"] == "" and person["platform_post_id"].startswith("p-")
    reporter = posts["'" + HYPERLINK]
    assert reporter["author_type"] == "pseudonym"  # a news feed's author is a person too
    # the person's handle appears nowhere in the bundle, their post is still linked as evidence
    bundle_text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "b").iterdir())
    assert "jane-doe" not in bundle_text.lower() and "A Reporter" not in bundle_text
    linked = {e["platform_post_id"] for e in read_csv(tmp_path / "b" / "evidence.csv")}
    assert person["platform_post_id"] in linked and "at://group/1" in linked
    assert frictionless_errors(tmp_path / "b" / "datapackage.json") == []


def test_formula_post_text_comes_out_harmless(engine: Engine, tmp_path: Path) -> None:
    import_campaigns_csv(
        engine, write_csv(tmp_path / "in.csv", [demand_row(campaign_title=HYPERLINK)])
    )
    add_posts(engine)
    export_bundle(engine, tmp_path / "b", as_of=AS_OF, key_loader=fixed_key)
    texts = [p["text"] for p in read_csv(tmp_path / "b" / "posts.csv")]
    assert "'" + HYPERLINK in texts and HYPERLINK not in texts
    assert restore("'" + HYPERLINK) == HYPERLINK
    for path in (tmp_path / "b").glob("*.csv"):
        for row in read_csv(path):
            for value in row.values():
                if value.startswith(FORMULA_STARTS):
                    float(value)  # only plain numbers (e.g. -3 days) may start with '-'


def test_filtered_posts_are_those_cited_as_evidence(engine: Engine, tmp_path: Path) -> None:
    rows = [demand_row(), *campaign_rows("other", ["met"], year=2019, company="Google")]
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", rows))
    add_posts(engine)
    export_bundle(
        engine, tmp_path / "b", Filters(companies=("amazon",)), as_of=AS_OF, key_loader=fixed_key
    )
    assert len(read_csv(tmp_path / "b" / "posts.csv")) == 2  # the formula post is not cited
    assert frictionless_errors(tmp_path / "b" / "datapackage.json") == []
    export_bundle(
        engine, tmp_path / "g", Filters(companies=("alphabet",)), as_of=AS_OF, key_loader=fixed_key
    )
    assert read_csv(tmp_path / "g" / "posts.csv") == []


@settings(max_examples=200, deadline=None)
@given(handle=st.text(min_size=1, max_size=12), platform=st.sampled_from(["x", "bluesky"]))
def test_a_pseudonym_never_equals_or_contains_the_handle(handle: str, platform: str) -> None:
    if not normalize_handle(handle):
        return
    name = pseudonym(KEY, platform, handle)
    for form in {normalize_handle(handle), handle.strip().lower()}:
        assert form != name and form not in name
    assert name == pseudonym(KEY, platform, handle.upper() if handle.isascii() else handle)


@pytest.mark.parametrize("handle", ["a", "2", "@b", "abcdefghijklmnopqrstuvwxyz234567"])
def test_short_and_alphabet_handles_get_a_pseudonym_without_them(handle: str) -> None:
    assert normalize_handle(handle) not in pseudonym(KEY, "x", handle)


@pytest.fixture
def no_key_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(KEY_ENV, raising=False)
    yield


def test_key_is_generated_once_beside_the_database_and_never_exported(
    sqlite_engine: Engine, tmp_path: Path, no_key_env: None
) -> None:
    import_campaigns_csv(sqlite_engine, write_csv(tmp_path / "in.csv", [demand_row()]))
    add_posts(sqlite_engine)
    export_bundle(sqlite_engine, tmp_path / "one", as_of=AS_OF)
    key_file = Path(str(sqlite_engine.url.database)).parent / KEY_FILE
    assert key_file.exists() and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    export_bundle(sqlite_engine, tmp_path / "two", as_of=AS_OF)
    first = (tmp_path / "one" / "posts.csv").read_bytes()
    assert first == (tmp_path / "two" / "posts.csv").read_bytes()  # stable across exports
    secret = key_file.read_text(encoding="utf-8").strip()
    for path in [*(tmp_path / "one").iterdir()]:
        assert secret not in path.read_text(encoding="utf-8")
    assert KEY_FILE not in os.listdir(tmp_path / "one")


def test_key_from_the_environment_wins(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_campaigns_csv(sqlite_engine, write_csv(tmp_path / "in.csv", [demand_row()]))
    add_posts(sqlite_engine)
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    export_bundle(sqlite_engine, tmp_path / "b", as_of=AS_OF)
    authors = {p["author"] for p in read_csv(tmp_path / "b" / "posts.csv")}
    assert pseudonym(KEY, "bluesky", PERSON_HANDLE) in authors
    assert not (Path(str(sqlite_engine.url.database)).parent / KEY_FILE).exists()
    monkeypatch.setenv(KEY_ENV, "short")
    from campaigns.privacy import PseudonymKeyError

    with pytest.raises(PseudonymKeyError, match=KEY_ENV):
        export_bundle(sqlite_engine, tmp_path / "c", as_of=AS_OF)


def test_zip_holds_the_same_bundle(sqlite_engine: Engine, tmp_path: Path) -> None:
    load_demo(sqlite_engine, tmp_path)
    export_bundle(sqlite_engine, tmp_path / "dir", as_of=AS_OF, key_loader=fixed_key)
    buffer = io.BytesIO()
    export_zip(sqlite_engine, buffer, as_of=AS_OF, key_loader=fixed_key)
    with zipfile.ZipFile(buffer) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(os.listdir(tmp_path / "dir"))
        for name in names:
            assert archive.read(name) == (tmp_path / "dir" / name).read_bytes(), name


def test_stats_json_by_year_equals_pandas_on_demands_csv(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    runner = CliRunner()
    try:
        demo = DEMO_CSV if DEMO_CSV.exists() else None
        if demo is None:
            load_demo_rows = [
                demand_row(),
                *campaign_rows("a", ["met", "pending"], year=2019),
                *campaign_rows("b", ["not_met"], year=2019, company="Google"),
                *campaign_rows("c", ["partially_met", "met"], year=2020, company="Google"),
            ]
            demo = write_csv(tmp_path / "in.csv", load_demo_rows)
        assert runner.invoke(app, ["import", "campaigns", str(demo)]).exit_code == 0
        out = tmp_path / "bundle"
        done = runner.invoke(app, ["export", "--out", str(out), "--zip", str(tmp_path / "b.zip")])
        assert done.exit_code == 0, done.output
        stats = runner.invoke(app, ["stats", "--json"])
        assert stats.exit_code == 0, stats.output
        report = json.loads(stats.output)
    finally:
        dispose_engines()

    # What a researcher does with demands.csv alone, following the roll-up rules of the codebook.
    demands = pd.read_csv(out / "demands.csv", dtype=str, keep_default_na=False)

    def status(outcomes: pd.Series) -> str:
        values = {o or "unknown" for o in outcomes}
        if "pending" in values:
            return "pending"
        if values == {"met"}:
            return "won"
        if values & {"met", "partially_met"}:
            return "partial"
        if values == {"not_met"}:
            return "lost"
        return "unknown"

    dated = demands.assign(date=pd.to_datetime(demands["demand_date"].replace("", None)))
    campaigns = dated.groupby("campaign_id").agg(
        year=("date", lambda d: d.min().year), status=("outcome", status)
    )
    counts = (
        campaigns.dropna(subset=["year"]).groupby(["year", "status"]).size().unstack(fill_value=0)
    )
    expected = []
    for year, row in counts.iterrows():
        won, partial, lost = (int(row.get(s, 0)) for s in ("won", "partial", "lost"))
        decided = won + partial + lost
        expected.append(
            (int(cast(float, year)), won, partial, lost, int(row.get("pending", 0)),
             won / decided if decided else None)
        )  # fmt: skip
    printed = [
        (r["year"], r["won"], r["partial"], r["lost"], r["pending_excluded"], r["success_rate"])
        for r in report["by_year"]
    ]
    assert printed == expected
    assert len(expected) >= 2


def test_export_needs_a_destination(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    try:
        done = CliRunner().invoke(app, ["export"])
    finally:
        dispose_engines()
    assert done.exit_code != 0 and "--zip" in done.output


def insert_posts(engine: Engine, count: int, start: int = 0) -> None:
    when = datetime(2022, 5, 1, tzinfo=UTC)
    rows = [
        {
            "platform": "x", "platform_post_id": str(start + i), "author_handle": f"person{i % 997}",
            "text": f"post {i} " + "lorem ipsum " * 20, "posted_at": when,
            "posted_at_estimated": False,
        }
        for i in range(count)
    ]  # fmt: skip
    with engine.begin() as conn:
        for offset in range(0, count, 5_000):
            conn.execute(insert(Post), rows[offset : offset + 5_000])


def export_peak(engine: Engine, out: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        result = export_bundle(engine, out, as_of=AS_OF, key_loader=fixed_key)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result.files["posts.csv"], peak


def test_export_streams_posts_so_memory_stays_flat(sqlite_engine: Engine, tmp_path: Path) -> None:
    insert_posts(sqlite_engine, 4_000)
    rows_small, peak_small = export_peak(sqlite_engine, tmp_path / "small")
    insert_posts(sqlite_engine, 36_000, start=4_000)
    rows_large, peak_large = export_peak(sqlite_engine, tmp_path / "large")
    assert (rows_small, rows_large) == (4_000, 40_000)
    # ten times the posts; loading them all would need about ten times the memory
    assert peak_large < 2 * peak_small, (peak_small, peak_large)
    with Session(sqlite_engine) as session:
        assert session.get(Post, 1) is not None


def test_export_page_offers_the_bundle_for_the_current_filters(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from db.engine import make_engine

    engine = make_engine(db_url)
    try:
        load_demo(engine, tmp_path)
    finally:
        engine.dispose()
    monkeypatch.setenv("DATABASE_URL", db_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    app_file = Path(__file__).resolve().parents[2] / "app.py"
    at = AppTest.from_file(str(app_file), default_timeout=60)
    at.query_params["struggle"] = "ethics"
    at.run()
    at.switch_page("campaigns/dashboard/export.py")
    at.run()
    try:
        assert not at.exception
        (button,) = at.get("download_button")
        assert "bundle" in button.proto.label and button.proto.label.endswith("(.zip)")
        recorded = json.loads(at.json[0].proto.body)
        assert recorded["struggles"] == ["ethics"]
        assert at.metric[0].value == str(
            sum(1 for r in read_csv_from_store(db_url, tmp_path) if r["struggle"] == "ethics")
        )
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
        dispose_engines()


def read_csv_from_store(db_url: str, tmp_path: Path) -> list[dict[str, str]]:
    from db.engine import make_engine

    engine = make_engine(db_url)
    try:
        export_bundle(engine, tmp_path / "all", as_of=AS_OF, key_loader=fixed_key)
    finally:
        engine.dispose()
    return read_csv(tmp_path / "all" / "campaigns.csv")


def test_download_bytes_are_the_filtered_bundle(sqlite_engine: Engine, tmp_path: Path) -> None:
    from campaigns.exports import bundle_file_name, export_zip_bytes

    load_demo(sqlite_engine, tmp_path)
    filters = Filters(struggles=("ethics",))
    with zipfile.ZipFile(io.BytesIO(export_zip_bytes(sqlite_engine, filters, as_of=AS_OF))) as z:
        package = json.loads(z.read("datapackage.json"))
        campaigns = list(csv.DictReader(io.StringIO(z.read("campaigns.csv").decode("utf-8"))))
    assert package["filters"]["struggles"] == ["ethics"]
    assert campaigns and {c["struggle"] for c in campaigns} == {"ethics"}
    assert bundle_file_name(filters, AS_OF) == "campaigns-export-2024-06-01-filtered.zip"


def test_collective_action_in_tech_bundle_passes_frictionless_validate(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    from tests.conftest import CAT_ACTIONS

    if not CAT_ACTIONS.exists():
        pytest.skip(f"the Collective Action in Tech archive is not at {CAT_ACTIONS}")
    from campaigns.cat_import import import_cat_archive

    import_cat_archive(sqlite_engine, CAT_ACTIONS)
    result = export_bundle(sqlite_engine, tmp_path / "cat", as_of=AS_OF, key_loader=fixed_key)
    assert result.files["actions.csv"] >= 500 and result.files["evidence.csv"] >= 500
    assert frictionless_errors(tmp_path / "cat" / "datapackage.json") == []
    package = json.loads((tmp_path / "cat" / "datapackage.json").read_text(encoding="utf-8"))
    assert any("Collective Action in Tech" in s.get("title", "") for s in package["sources"])


def test_stats_tables_show_every_figure_with_its_counts(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    rows = [
        demand_row(),
        *campaign_rows("a", ["met", "pending"], year=2019, retaliation="yes"),
        *campaign_rows("b", ["not_met"], year=2019, company="Google", tactics="walkout;strike"),
    ]
    runner = CliRunner()
    try:
        runner.invoke(app, ["import", "campaigns", str(write_csv(tmp_path / "in.csv", rows))])
        done = runner.invoke(app, ["stats", "--as-of", "2022-01-01", "--struggle", "ethics"])
        bad = runner.invoke(app, ["stats", "--as-of", "tomorrow"])
    finally:
        dispose_engines()
    assert done.exit_code == 0, done.output
    for title in ("by year", "by company", "by struggle", "by tactic", "by demand type"):
        assert f"Success {title}" in done.output
    assert "censored at 2022-01-01" in done.output
    assert "Retaliation: 1 of 3 campaigns" in done.output
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
