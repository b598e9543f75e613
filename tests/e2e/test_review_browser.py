"""The Review page in a real headless Chromium: an editor accepts the engine's suggestions.

The store holds only the two Parler posts and the engine's suggestions for them (no demo data):
the workers' demand and the news of Amazon's answer. Accepting both with the real "Accept"
buttons must create the demand and the response linked to it, each with its post as evidence,
and every change audited under the editor's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlmodel import Session, select

from tests.e2e.conftest import Dashboard, PageErrors, start_dashboard, stop_dashboard
from tests.e2e.test_pages_browser import PASSPHRASE, goto, open_tab, settle
from tests.linking.helpers import PARLER, read_jsonl

pytestmark = pytest.mark.browser
EDITOR = "E2E Reviewer"
STALE_GONE = "() => !document.querySelector('[data-stale=\"true\"]')"


@pytest.fixture(scope="module")
def review_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """The dashboard on a fresh SQLite store holding the Parler posts and their suggestions."""
    from campaigns.access import set_passphrase
    from campaigns.linking.suggest import link_posts
    from campaigns.store import open_store
    from db.engine import dispose_engines
    from tests.linking.helpers import insert_posts

    directory = tmp_path_factory.mktemp("review")
    database_url = f"sqlite:///{directory / 'campaigns.db'}"
    engine = open_store(database_url)
    insert_posts(engine, read_jsonl(PARLER))
    link_posts(engine)
    set_passphrase(engine, PASSPHRASE)
    dispose_engines()
    dashboard = start_dashboard(database_url, directory / "streamlit.log")
    yield dashboard
    stop_dashboard(dashboard)


def rerun_done(page: object) -> None:
    """Wait until the script run is over: Streamlit marks the elements of the run before
    ``data-stale`` until the new run has redrawn or dropped them."""
    page.wait_for_function(STALE_GONE, timeout=30_000)  # type: ignore[attr-defined]
    settle(page)


def sign_in(page: object) -> None:
    page.get_by_label("Your name (for the audit log)").fill(EDITOR)  # type: ignore[attr-defined]
    page.get_by_label("Editor passphrase").fill(PASSPHRASE)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.get_by_text(f"Signed in as {EDITOR}").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    rerun_done(page)


def accept_in_page(page: object, suggestion_id: int, role: str) -> None:
    """Click the Accept button of suggestion ``suggestion_id`` and wait until it left the queue.

    Streamlit puts a widget's key in its container's class (``st-key-<key>``), so the button is
    found by its key; it must sit in the block whose subheader names that suggestion and role.
    """
    accept = page.locator(f".st-key-accept-{suggestion_id}")  # type: ignore[attr-defined]
    accept.wait_for(timeout=30_000)
    block = accept.locator("xpath=ancestor::div[@data-testid='stVerticalBlock'][.//h3][1]")
    subheader = block.locator("h3")
    assert subheader.count() == 1
    assert re.match(rf"#{suggestion_id} · {role} · score ", subheader.inner_text())
    accept.get_by_role("button", name="Accept").click()
    page.get_by_text(re.compile(rf"^Accepted {suggestion_id}: ")).wait_for(timeout=30_000)  # type: ignore[attr-defined]
    rerun_done(page)
    assert accept.count() == 0
    assert page.get_by_role("heading", name=re.compile(rf"^#{suggestion_id} · ")).count() == 0  # type: ignore[attr-defined]


def test_editor_accepts_suggestions_and_gets_records_with_the_posts_as_evidence(
    review_dashboard: Dashboard, page: tuple[object, PageErrors]
) -> None:
    from campaigns.review import list_suggestions
    from db.engine import make_engine
    from db.models import AuditEntry, Demand, Evidence, Response, ResponseDemand

    engine = make_engine(review_dashboard.database_url)
    try:
        queued = {s["role"]: s for s in list_suggestions(engine)}
        assert set(queued) == {"demand", "response"}
        demand_row, response_row = queued["demand"], queued["response"]
        tab = open_tab(page)
        goto(tab, f"{review_dashboard.url}/review")
        last = tab.page.get_by_role("heading", name=f"#{response_row['id']} · response · score")  # type: ignore[attr-defined]
        last.wait_for(timeout=30_000)  # the whole queue is drawn
        settle(tab.page)
        headings = tab.page.locator("h3").all_inner_texts()  # type: ignore[attr-defined]
        assert [h.split(" · ")[:2] for h in headings] == [
            [f"#{demand_row['id']}", "demand"],
            [f"#{response_row['id']}", "response"],
        ]
        viewer_buttons = tab.page.locator('[class*="st-key-accept-"]')  # type: ignore[attr-defined]
        assert viewer_buttons.count() == 0  # a viewer reads the queue but cannot accept
        sign_in(tab.page)

        accept_in_page(tab.page, demand_row["id"], "demand")
        accept_in_page(tab.page, response_row["id"], "response")
        tab.page.get_by_text("No suggestions here.").wait_for(timeout=30_000)  # type: ignore[attr-defined]

        assert list_suggestions(engine) == []
        accepted = {s["id"] for s in list_suggestions(engine, status="accepted")}
        assert accepted == {demand_row["id"], response_row["id"]}
        with Session(engine) as session:
            demand = session.exec(select(Demand)).one()
            assert demand.id == demand_row["demand_id"]
            assert demand.demand_type == "end_contract_or_customer"
            assert demand.review_status == "confirmed"
            assert demand.outcome == "met"  # the response's outcome, from the news post
            response = session.exec(select(Response)).one()
            assert response.review_status == "confirmed"
            assert response.campaign_id == demand.campaign_id
            links = session.exec(select(ResponseDemand)).all()
            assert [(link.response_id, link.demand_id) for link in links] == [
                (response.id, demand.id)
            ]
            evidence = {
                (e.record_type, e.record_id, e.url, e.post_id)
                for e in session.exec(select(Evidence)).all()
            }
            demand_post = (demand_row["post_url"], demand_row["post_id"])
            news_post = (response_row["post_url"], response_row["post_id"])
            assert evidence == {
                ("campaign", demand.campaign_id, *demand_post),
                ("campaign", demand.campaign_id, *news_post),
                ("demand", demand.id, *demand_post),
                ("demand", demand.id, *news_post),  # the news of the outcome
                ("response", response.id, *news_post),
            }
            audit = session.exec(select(AuditEntry)).all()
            assert {a.actor for a in audit} == {f"human:{EDITOR}"}
            assert {(a.record_type, a.record_id) for a in audit} >= {
                ("demand", demand.id),
                ("response", response.id),
                ("suggestion", str(demand_row["id"])),
                ("suggestion", str(response_row["id"])),
            }
    finally:
        engine.dispose()
    tab.check()
