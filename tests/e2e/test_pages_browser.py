"""Every dashboard page in a real headless Chromium: filters, a campaign's own link, editing.

Saves a screenshot of each page under docs/screenshots/ (used in the README).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.conftest import Dashboard, PageErrors, wait_for_app

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSPHRASE = "correct horse battery staple"
# Opened straight at /<page>, Streamlit's frontend first probes /<page>/_stcore/health and
# /<page>/_stcore/host-config (404) before finding the server's root: that, and only that,
# is not an error of this app.
STREAMLIT_PROBE = re.compile(r"/[a-z_]+/_stcore/(health|host-config)$")
NOT_FOUND = "the server responded with a status of 404"

SETTLED = """() => !document.querySelector('[data-testid="stSkeleton"]')
  && !document.querySelector('[data-testid="stStatusWidget"]')
  && Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'))
       .every(chart => chart.querySelector('.main-svg'))"""


@dataclass
class Tab:
    """A browser page plus what went wrong in it (console errors, failed requests)."""

    page: object
    errors: PageErrors
    probes: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert not self.not_found, f"requests answered 404: {self.not_found}"
        excused = len(self.probes)
        kept = []
        for message in self.errors.console:
            if excused and NOT_FOUND in message:
                excused -= 1
                continue
            kept.append(message)
        self.errors.console[:] = kept
        self.errors.check(self.page)


def open_tab(page: tuple[object, PageErrors]) -> Tab:
    browser_page, errors = page
    tab = Tab(browser_page, errors)

    def on_response(response: object) -> None:
        if response.status == 404:  # type: ignore[attr-defined]
            url = response.url  # type: ignore[attr-defined]
            (tab.probes if STREAMLIT_PROBE.search(url) else tab.not_found).append(url)

    browser_page.on("response", on_response)  # type: ignore[attr-defined]
    return tab


@pytest.fixture
def tab(page: tuple[object, PageErrors]) -> Iterator[Tab]:
    yield open_tab(page)


def settle(page: object) -> None:
    """Wait until the script run is over and every chart is drawn."""
    wait_for_app(page)
    page.wait_for_function(SETTLED, timeout=30_000)  # type: ignore[attr-defined]
    page.wait_for_timeout(500)  # type: ignore[attr-defined]


def goto(tab: Tab, url: str) -> None:
    tab.page.goto(url)  # type: ignore[attr-defined]
    settle(tab.page)


def heading(page: object) -> str:
    return str(page.locator("h1").first.inner_text())  # type: ignore[attr-defined]


def company_chips(page: object) -> str:
    sidebar = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')  # type: ignore[attr-defined]
    return str(sidebar.first.inner_text())


def screenshot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 2400})  # type: ignore[attr-defined]
    settle(page)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 1400, "height": 1000})  # type: ignore[attr-defined]


def choose(page: object, label: str, option: str | re.Pattern[str]) -> None:
    """Pick ``option`` in the (first) selectbox labelled ``label``, retrying if a rerun closes it."""
    box = page.locator('[data-testid="stSelectbox"]').filter(  # type: ignore[attr-defined]
        has=page.get_by_text(label, exact=True)  # type: ignore[attr-defined]
    )
    choice = page.get_by_role("option", name=option, exact=isinstance(option, str)).first  # type: ignore[attr-defined]
    for _attempt in range(3):
        settle(page)
        box.first.click()
        try:
            choice.wait_for(timeout=5_000)
        except Exception:  # the dropdown closed under a rerun: open it again
            page.keyboard.press("Escape")  # type: ignore[attr-defined]
            continue
        choice.click()
        settle(page)
        return
    raise AssertionError(f"could not choose {option!r} in {label!r}")


@pytest.mark.parametrize(
    ("path", "title", "name"),
    [
        ("", "How do campaigns fare over time?", "overview"),
        ("campaigns", "Campaigns", "campaigns"),
        ("companies", "Companies side by side", "companies"),
        ("edit", "Add and correct records", "edit"),
        ("review", "Review the engine's suggestions", "review"),
        ("sources", "Sources", "sources"),
        ("export", "Export the data set", "export"),
    ],
)
def test_every_page_opens_without_errors(
    demo_dashboard: Dashboard, tab: Tab, path: str, title: str, name: str
) -> None:
    goto(tab, f"{demo_dashboard.url}/{path}")
    assert heading(tab.page) == title
    if name == "edit":  # a viewer is offered a sign-in, never an edit form
        assert tab.page.get_by_role("button", name=re.compile("^(Save|Add)")).count() == 0  # type: ignore[attr-defined]
    screenshot(tab.page, name)
    tab.check()


def test_filter_open_a_campaign_and_share_its_link(
    demo_dashboard: Dashboard, tab: Tab, browser: object
) -> None:
    page = tab.page
    goto(tab, f"{demo_dashboard.url}/campaigns")
    select = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first  # type: ignore[attr-defined]
    select.click()
    page.keyboard.type("Amazon")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.keyboard.press("Escape")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => window.location.search.includes('company=amazon')", timeout=30_000
    )
    settle(page)
    caption = page.get_by_text(re.compile(r"^\d+ of \d+ campaigns")).first.inner_text()  # type: ignore[attr-defined]
    shown, total = (int(n) for n in re.findall(r"\d+", caption)[:2])
    assert 0 < shown == total  # the table holds only Amazon's campaigns (with subsidiaries)

    # Open the first campaign by selecting its row in the table (row marker at the left).
    grid = page.locator('[data-testid="stDataFrame"]').first.bounding_box()  # type: ignore[attr-defined]
    page.mouse.click(grid["x"] + 15, grid["y"] + 35 + 17)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => window.location.search.includes('campaign=')", timeout=30_000
    )
    settle(page)
    title = heading(page)
    assert title != "Campaigns"
    assert "Amazon" in company_chips(page)
    link = str(page.url)  # type: ignore[attr-defined]
    assert "company=amazon" in link and "campaign=" in link
    screenshot(page, "campaign")
    tab.check()

    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    try:
        other_page = context.new_page()
        other_errors = PageErrors()
        other_page.on(
            "console",
            lambda msg: other_errors.console.append(msg.text) if msg.type == "error" else None,
        )
        other = open_tab((other_page, other_errors))
        goto(other, link)
        assert heading(other_page) == title
        assert "Amazon" in company_chips(other_page)
        assert other_page.get_by_text("Campaigns like this one").count() == 1
        other.check()
    finally:
        context.close()


def test_shared_filter_link_opens_every_page_filtered(demo_dashboard: Dashboard, tab: Tab) -> None:
    for path in ("", "campaigns", "companies"):
        goto(tab, f"{demo_dashboard.url}/{path}?company=amazon&struggle=ethics")
        chips = company_chips(tab.page)
        assert "Amazon" in chips, path
        assert "company=amazon" in str(tab.page.url)  # type: ignore[attr-defined]
    tab.check()


def test_editor_signs_in_corrects_an_outcome_and_sees_it_in_the_history(
    demo_dashboard: Dashboard, tab: Tab
) -> None:
    from campaigns.access import set_passphrase
    from db.engine import make_engine

    engine = make_engine(demo_dashboard.database_url)
    try:
        set_passphrase(engine, PASSPHRASE)
    finally:
        engine.dispose()
    page = tab.page
    goto(tab, f"{demo_dashboard.url}/edit?campaign=aecj-parler-2021")
    assert page.get_by_role("button", name="Save outcome").count() == 0  # type: ignore[attr-defined]
    page.get_by_label("Your name (for the audit log)").fill("E2E Editor")  # type: ignore[attr-defined]
    page.get_by_label("Editor passphrase").fill(PASSPHRASE)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Save outcome").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    settle(page)

    choose(page, "Outcome", "partially_met")
    page.get_by_role("button", name="Save outcome").click()  # type: ignore[attr-defined]
    page.get_by_text("Outcome saved.").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    settle(page)

    choose(page, "Record", re.compile("^demand:"))
    history = page.locator('[data-testid="stTable"]').last.inner_text()  # type: ignore[attr-defined]
    assert "human:E2E Editor" in history
    assert "partially_met" in history and "met" in history
    screenshot(page, "edit-signed-in")
    tab.check()
