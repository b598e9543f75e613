"""The streamed export: the same files whatever the chunk size, the same rows as the coded
data set the dashboard loads, and CSV that every reader splits into the same records."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from campaigns import export_coded, export_posts, records
from campaigns.dataset import campaign_rows, load_coded_data
from campaigns.exports import (
    ACTIONS_COLUMNS,
    CAMPAIGNS_COLUMNS,
    RESPONSES_COLUMNS,
    action_rows,
    demands_csv_text,
    export_bundle,
    export_zip,
    response_rows,
    write_stream,
)
from campaigns.filters import Filters
from campaigns.imports import import_campaigns_csv
from db.engine import session_scope
from db.models import Post
from tests.campaigns.test_export_bundle import AS_OF, add_posts, fixed_key, load_demo, read_csv
from tests.factories import campaign_rows as factory_rows
from tests.factories import demand_row, write_csv

TRICKY = 'first line\rsame cell, with "quotes"'


def load(engine: Engine, tmp_path: Path) -> None:
    """The demo campaigns, tricky text, posts by a group and a person cited as evidence."""
    load_demo(engine, tmp_path)
    rows = [
        demand_row(),
        *factory_rows("cr", ["met", "pending"], year=2020, company="Google"),
        demand_row(
            campaign_id="tricky", demand_id="tricky-d1", demand="alone\rcarriage return",
            campaign_title="-1, \"quoted\"", response_summary=TRICKY, company="GitHub",
        ),
    ]  # fmt: skip
    import_campaigns_csv(engine, write_csv(tmp_path / "more.csv", rows))
    add_posts(engine)


def files(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_bundle_is_the_same_whatever_the_chunk_size(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(engine, tmp_path)
    for filters in (Filters(), Filters(companies=("google",))):
        big = tmp_path / f"big-{filters.is_empty()}"
        export_bundle(engine, big, filters, as_of=AS_OF, key_loader=fixed_key)
        with monkeypatch.context() as patch:
            patch.setattr(export_coded, "CAMPAIGNS_PER_CHUNK", 3)
            patch.setattr(export_coded, "RESPONSES_PER_CHUNK", 2)
            patch.setattr(export_posts, "POSTS_PER_FETCH", 1)
            patch.setattr(export_posts, "IDS_PER_QUERY", 1)
            small = tmp_path / f"small-{filters.is_empty()}"
            export_bundle(engine, small, filters, as_of=AS_OF, key_loader=fixed_key)
        assert files(big) == files(small)


def stream_text(rows: object, columns: tuple[str, ...]) -> bytes:
    out = io.BytesIO()
    write_stream(out, rows, columns)  # type: ignore[arg-type]
    return out.getvalue()


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(companies=("alphabet",)),
        Filters(year_from=2020),
        Filters(tactics=("strike",)),
    ],
    ids=["all", "company", "year", "tactic"],
)
def test_streamed_files_are_the_rows_of_the_coded_data_set(
    engine: Engine, tmp_path: Path, filters: Filters
) -> None:
    load(engine, tmp_path)
    export_bundle(engine, tmp_path / "b", filters, as_of=AS_OF, key_loader=fixed_key)
    with Session(engine) as session:
        data = load_coded_data(session, filters)
    bundle = files(tmp_path / "b")
    assert bundle["demands.csv"] == demands_csv_text(data).encode("utf-8")
    assert bundle["campaigns.csv"] == stream_text(campaign_rows(data), CAMPAIGNS_COLUMNS)
    assert bundle["actions.csv"] == stream_text(action_rows(data), ACTIONS_COLUMNS)
    assert bundle["responses.csv"] == stream_text(response_rows(data), RESPONSES_COLUMNS)


def test_a_lone_carriage_return_stays_inside_its_cell(engine: Engine, tmp_path: Path) -> None:
    load(engine, tmp_path)
    export_bundle(engine, tmp_path / "b", as_of=AS_OF, key_loader=fixed_key)
    raw = (tmp_path / "b" / "demands.csv").read_bytes()
    assert b'"alone\rcarriage return"' in raw
    with (tmp_path / "b" / "demands.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["demand_id"]: row for row in csv.DictReader(handle)}
    assert rows["tricky-d1"]["demand"] == "alone\rcarriage return"
    assert rows["tricky-d1"]["response_summary"] == TRICKY
    assert rows["tricky-d1"]["campaign_title"] == '\'-1, "quoted"'


def add_sourceless_posts(engine: Engine) -> None:
    """Posts imported without a Source record: a news outlet's, a company's, a person's."""
    when = datetime(2021, 1, 10, 2, 0, tzinfo=UTC)
    with session_scope(engine) as session:
        posts = {
            "news": Post(
                platform="x", platform_post_id="501", author_handle="nytimes", source_kind="news",
                url="https://x.com/nytimes/status/501", text="AWS suspends Parler", posted_at=when,
            ),
            "company": Post(
                platform="x", platform_post_id="502", author_handle="@awscloud",
                source_kind="company", url="https://x.com/awscloud/status/502",
                text="Statement", posted_at=when,
            ),
            "person": Post(
                platform="x", platform_post_id="503", author_handle="jane_doe",
                url="https://x.com/jane_doe/status/503", text="I was there", posted_at=when,
            ),
        }  # fmt: skip
        session.add_all(posts.values())
        session.flush()
        for post in posts.values():
            records.add_evidence(
                session, record_type="demand", record_id="aecj-parler-2021-d1",
                url=str(post.url), actor="human:test", kind="news", post_id=post.id,
            )  # fmt: skip


def test_posts_declared_by_organisations_without_a_source_stay_public(
    engine: Engine, tmp_path: Path
) -> None:
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", [demand_row()]))
    add_sourceless_posts(engine)
    export_bundle(engine, tmp_path / "b", as_of=AS_OF, key_loader=fixed_key)
    posts = {row["text"]: row for row in read_csv(tmp_path / "b" / "posts.csv")}
    news, company, person = posts["AWS suspends Parler"], posts["Statement"], posts["I was there"]
    assert (news["author"], news["author_type"]) == ("nytimes", "organization_or_company")
    assert news["url"] == "https://x.com/nytimes/status/501" and news["platform_post_id"] == "501"
    assert company["author"] == "'@awscloud" and company["url"]
    assert person["author_type"] == "pseudonym" and person["url"] == ""
    evidence = {row["platform_post_id"]: row for row in read_csv(tmp_path / "b" / "evidence.csv")}
    assert evidence["501"]["url"] == "https://x.com/nytimes/status/501"
    assert evidence["502"]["url"] == "https://x.com/awscloud/status/502"
    assert evidence[person["platform_post_id"]]["url"] == ""
    (demand,) = read_csv(tmp_path / "b" / "demands.csv")
    urls = demand["evidence_urls"].split(";")
    assert (
        "https://x.com/nytimes/status/501" in urls and "https://x.com/awscloud/status/502" in urls
    )
    assert "jane_doe" not in demand["evidence_urls"]


def test_the_demands_download_leaves_out_the_urls_of_peoples_posts(
    engine: Engine, tmp_path: Path
) -> None:
    import_campaigns_csv(engine, write_csv(tmp_path / "in.csv", [demand_row()]))
    add_posts(engine)
    add_sourceless_posts(engine)
    with Session(engine) as session:
        download = demands_csv_text(load_coded_data(session, Filters()))
    assert "jane" not in download.lower() and "https://x.com/nytimes/status/501" in download
    assert "https://bsky.app/profile/aecj/post/1" in download  # the group's own post
    export_bundle(engine, tmp_path / "b", as_of=AS_OF, key_loader=fixed_key)
    assert (tmp_path / "b" / "demands.csv").read_text(encoding="utf-8") == download


def test_one_process_and_the_zip_write_the_same_files(engine: Engine, tmp_path: Path) -> None:
    load(engine, tmp_path)
    for filters in (Filters(), Filters(companies=("google",))):
        name = "all" if filters.is_empty() else "google"
        export_bundle(engine, tmp_path / name, filters, as_of=AS_OF, key_loader=fixed_key)
        export_bundle(
            engine, tmp_path / f"{name}-1", filters, as_of=AS_OF, key_loader=fixed_key,
            parallel=False,
        )  # fmt: skip
        export_zip(engine, tmp_path / f"{name}.zip", filters, as_of=AS_OF, key_loader=fixed_key)
        with zipfile.ZipFile(tmp_path / f"{name}.zip") as archive:
            zipped = {info.filename: archive.read(info) for info in archive.infolist()}
        assert files(tmp_path / name) == files(tmp_path / f"{name}-1") == zipped
