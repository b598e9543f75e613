"""A post that lists several demands states each as a demand of its own (campaigns/linking/
lists.py, stating.state_items): an answer that grants one is linked to that one, the others stay
open, and accepting the post creates each demand with the post as evidence."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns.linking.engine import LinkingEngine
from campaigns.linking.lists import demand_items, taken_up
from campaigns.linking.suggest import link_posts
from campaigns.review import accept, list_suggestions, proposal_summary
from db.models import Demand, Evidence, ResponseDemand
from tests.linking.helpers import insert_posts, post_input, post_row

# The Google walkout of 1 November 2018 and its demands (https://www.thecut.com/2018/11/google-
# walkout-organizers-explain-demands.html); forced arbitration ended for every employee on
# 21 February 2019 (https://www.nytimes.com/2019/02/21/technology/google-forced-arbitration.html).
# Written here.
WALKOUT = post_row(
    "1055200000000000001",
    "Today we walk out. Our demands: end forced arbitration in cases of harassment and "
    "discrimination, a commitment to end pay inequity, and a public sexual harassment "
    "transparency report.",
    "2018-11-01T11:00:00+00:00",
    author_handle="googlewalkout",
)
ARBITRATION = post_row(
    "1055200000000000002",
    "Google ends forced arbitration for all employees. The company said workers will be free to "
    "take any dispute, not only harassment claims, to court.",
    "2019-02-21T18:00:00+00:00",
    kind="news",
    author_handle="technewsdesk",
)
# 8 November 2018: the first answer, written here
FIRST_ANSWER = post_row(
    "1055200000000000003",
    "Sundar Pichai tells employees Google will end forced arbitration for sexual harassment "
    "claims, but does not address pay inequity.",
    "2018-11-08T18:00:00+00:00",
    kind="news",
    author_handle="technewsdesk",
)


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (
            WALKOUT["text"],
            [
                "end forced arbitration in cases of harassment and discrimination",
                "a commitment to end pay inequity",
                "a public sexual harassment transparency report",
            ],
        ),
        (
            "We demand: 1) hazard pay of $5 an hour 2) paid sick leave for everyone 3) masks in "
            "every store",
            ["hazard pay of $5 an hour", "paid sick leave for everyone", "masks in every store"],
        ),
        (
            "Our demands: better pay, transit vouchers and fixed paid holidays.",
            ["better pay", "transit vouchers", "fixed paid holidays"],
        ),
        # a count announced: what is beyond it belongs to the last item
        (
            "we log off saturday. two asks: show us the whole tip before we accept, and $4.50 "
            "base on every order, no exceptions.",
            ["show us the whole tip before we accept", "$4.50 base on every order, no exceptions"],
        ),
        (
            "the list: hazard pay. paid leave you can use. protection from abusive customers.",
            ["hazard pay", "paid leave you can use", "protection from abusive customers"],
        ),
        # one demand, however many words it joins with "and", is not a list
        ("Our demands: end arbitration for harassment and discrimination.", []),
        ("We demand that Amazon stop hosting Parler, now.", []),
        ("Our first demand: end forced arbitration, for current and future employees.", []),
        ("", []),
    ],
)
def test_the_demands_a_post_lists(text: str, items: list[str]) -> None:
    assert demand_items(text) == items


def test_each_listed_demand_is_a_demand_and_the_answer_takes_up_its_own(
    linker: LinkingEngine,
) -> None:
    run = linker.run(
        [post_input(row, key=row["platform_post_id"]) for row in (WALKOUT, ARBITRATION)]
    )
    walkout, answer = run.links
    assert walkout.demand_key and len(walkout.more_demands) == 2
    listed = [run.demands[key] for key in (walkout.demand_key, *walkout.more_demands)]
    assert [d.text for d in listed] == demand_items(WALKOUT["text"])
    assert {d.post_key for d in listed} == {WALKOUT["platform_post_id"]}
    assert listed[1].demand_type == "pay_and_benefits"
    assert any("lists 3 demands" in reason for reason in walkout.reasons)
    assert answer.role == "response" and answer.demand_key == listed[0].key
    assert answer.linked_post_key == WALKOUT["platform_post_id"]
    assert answer.response_type == "full_concession"


def test_accepting_creates_each_demand_and_the_answer_meets_only_its_own(engine: Engine) -> None:
    walkout_id, answer_id = insert_posts(engine, [WALKOUT, ARBITRATION])
    link_posts(engine)
    rows = {s["post_id"]: s for s in list_suggestions(engine)}
    walkout, answer = rows[walkout_id], rows[answer_id]
    more = walkout["proposal"]["more_demands"]
    assert [m["text"] for m in more] == demand_items(WALKOUT["text"])[1:]
    assert all(m["new"] and m["stated_by_post"] == walkout_id for m in more)
    summary = proposal_summary(walkout["proposal"])
    assert any(line.startswith("Demand 2 it lists (pay_and_benefits)") for line in summary)
    assert any(line.startswith("Demand 3 it lists") for line in summary)

    accept(engine, [walkout["id"], answer["id"]], reviewer="human:ana")
    with Session(engine) as session:
        demands = session.exec(select(Demand).order_by(Demand.id)).all()
        by_id = {d.id: d for d in demands}
        assert set(by_id) == {walkout["demand_id"], *(m["id"] for m in more)}
        assert by_id[walkout["demand_id"]].outcome == "met"
        assert [by_id[m["id"]].outcome for m in more] == ["pending", "pending"]
        for demand in demands:
            cited = session.exec(select(Evidence).where(Evidence.record_id == demand.id)).all()
            assert walkout_id in {e.post_id for e in cited}
        (link,) = session.exec(select(ResponseDemand)).all()
        assert link.demand_id == walkout["demand_id"]


def test_a_later_run_answers_a_listed_demand(engine: Engine) -> None:
    # the walkout alone is an action; the answer of a later run finds the demands it lists
    (walkout_id,) = insert_posts(engine, [WALKOUT])
    link_posts(engine)
    (answer_id,) = insert_posts(engine, [ARBITRATION])
    link_posts(engine)
    rows = {s["post_id"]: s for s in list_suggestions(engine)}
    walkout, answer = rows[walkout_id], rows[answer_id]
    assert walkout["proposal"]["demand"]["text"].startswith("end forced arbitration")
    assert len(walkout["proposal"]["more_demands"]) == 2
    assert answer["demand_id"] == walkout["demand_id"]


def test_review_edit_one_demand_drops_the_list(cli_store: Engine) -> None:
    from typer.testing import CliRunner

    from campaigns.cli import app
    from tests.linking.test_review_page import LISTED

    insert_posts(cli_store, [LISTED])
    link_posts(cli_store)
    (row,) = list_suggestions(cli_store)
    assert len(row["proposal"]["more_demands"]) == 2
    runner = CliRunner()
    edited = runner.invoke(app, ["review", "edit", str(row["id"]), "--one-demand"])
    assert edited.exit_code == 0, edited.output
    assert "more_demands" not in json.loads(edited.output)
    accepted = runner.invoke(app, ["review", "accept", str(row["id"])])
    assert accepted.exit_code == 0, accepted.output
    with Session(cli_store) as session:
        (demand,) = session.exec(select(Demand)).all()
        assert demand.text == "hazard pay of $5 an hour"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (FIRST_ANSWER["text"], "will end forced arbitration for sexual harassment claims"),
        ("Amazon agreed to the heat breaks. No word on the $5 raise.", "agreed to the heat breaks"),
        ("Google ends forced arbitration for all employees.", None),
    ],
)
def test_what_an_answer_leaves_out(text: str, kept: str | None) -> None:
    found = taken_up(text)
    assert (found is None) if kept is None else (kept in (found or "") and "pay" not in found)


def test_an_answer_links_to_what_it_takes_up_not_to_what_it_leaves_out(
    linker: LinkingEngine,
) -> None:
    rows = (WALKOUT, FIRST_ANSWER)
    run = linker.run([post_input(row, key=row["platform_post_id"]) for row in rows])
    walkout, answer = run.links
    assert answer.role == "response"
    # "pay inequity" named as left out had linked it to the pay demand
    assert answer.demand_key == walkout.demand_key
