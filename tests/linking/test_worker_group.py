"""A campaign's worker group comes from the source its demand was pulled from: the organisation
that owns a worker-group account (never a person), proposed and set when accepted."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns.exports import export_bundle
from campaigns.linking.suggest import link_posts
from campaigns.review import accept, list_suggestions, proposal_summary
from db.engine import session_scope
from db.models import Campaign, Organization, Source
from tests.linking.helpers import PARLER, insert_posts, read_jsonl


def _group_source(engine: Engine, kind: str = "worker_group") -> tuple[int, int]:
    with session_scope(engine) as session:
        group = Organization(slug="aecj", name="Amazon Employees for Climate Justice")
        session.add(group)
        session.flush()
        source = Source(
            platform="x", handle="AMZNforClimate", kind=kind, owner_organization_id=group.id
        )
        session.add(source)
        session.flush()
        assert group.id is not None and source.id is not None
        return group.id, source.id


def test_the_demand_pulled_from_a_groups_account_names_the_group(
    engine: Engine, tmp_path: Path
) -> None:
    group_id, source_id = _group_source(engine)
    demand_row, news_row = read_jsonl(PARLER)
    demand_post, news_post = insert_posts(
        engine, [{**demand_row, "source_id": source_id}, news_row]
    )
    link_posts(engine)
    rows = {s["post_id"]: s for s in list_suggestions(engine)}
    demand = rows[demand_post]["proposal"]
    assert demand["worker_group"] == {
        "id": group_id,
        "name": "Amazon Employees for Climate Justice",
    }
    assert "Worker group: Amazon Employees for Climate Justice" in proposal_summary(demand)
    assert "worker_group" not in rows[news_post]["proposal"]  # news speaks for no group
    accept(engine, [rows[demand_post]["id"], rows[news_post]["id"]], reviewer="human:ana")
    with Session(engine) as session:
        (campaign,) = session.exec(select(Campaign)).all()
        assert campaign.lead_organization_id == group_id
    export_bundle(engine, tmp_path)
    with (tmp_path / "campaigns.csv").open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["worker_group"] == "Amazon Employees for Climate Justice"


def test_a_company_account_names_no_worker_group(engine: Engine) -> None:
    _, source_id = _group_source(engine, kind="company")
    demand_row, _ = read_jsonl(PARLER)
    insert_posts(engine, [{**demand_row, "source_id": source_id}])
    link_posts(engine)
    for row in list_suggestions(engine):
        assert "worker_group" not in row["proposal"]
