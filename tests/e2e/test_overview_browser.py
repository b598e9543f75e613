"""The Overview page in a real headless Chromium: filter by company, the chart changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import Dashboard, PageErrors, wait_for_app

pytestmark = pytest.mark.browser
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"

# The outcomes-by-year chart, found by its title: the page has several Plotly charts, drawn
# one after another, and the first in the document is not always this one while a run redraws.
CHART_DATA = """() => {
  const plot = Array.from(document.querySelectorAll('.js-plotly-plot')).find(p =>
    p.layout && p.layout.title && String(p.layout.title.text || '').includes(
      'Campaign outcomes by year'));
  return plot && plot.data
    ? JSON.stringify(plot.data.map(t => [t.name, Array.from(t.y || [], Number)]))
    : null;
}"""


def chart_data(page: object, *, unlike: list[list[object]] | None = None) -> list[list[object]]:
    """The outcomes chart's traces as [name, counts]; with ``unlike``, wait until they differ."""
    condition = (
        f"(before) => {{ const d = ({CHART_DATA})(); return d && d !== JSON.stringify(before); }}"
    )
    page.wait_for_function(condition, arg=unlike, timeout=30_000)  # type: ignore[attr-defined]
    return json.loads(page.evaluate(CHART_DATA))  # type: ignore[attr-defined]


def test_company_filter_changes_the_chart(
    demo_dashboard: Dashboard, page: tuple[object, PageErrors]
) -> None:
    browser_page, errors = page
    browser_page.goto(demo_dashboard.url)  # type: ignore[attr-defined]
    wait_for_app(browser_page)
    before = chart_data(browser_page)
    assert sum(sum(y) for _, y in before) >= 25  # every demo campaign is on the chart
    SCREENSHOT.parent.mkdir(exist_ok=True)
    browser_page.screenshot(path=str(SCREENSHOT), full_page=True)  # type: ignore[attr-defined]

    select = browser_page.locator('[data-testid="stMultiSelect"]').first  # type: ignore[attr-defined]
    select.click()
    browser_page.keyboard.type("Amazon")  # type: ignore[attr-defined]
    browser_page.keyboard.press("Enter")  # type: ignore[attr-defined]
    browser_page.keyboard.press("Escape")  # type: ignore[attr-defined]
    browser_page.wait_for_function(  # type: ignore[attr-defined]
        "() => window.location.search.includes('company=amazon')", timeout=30_000
    )
    wait_for_app(browser_page)
    after = chart_data(browser_page, unlike=before)
    assert after != before
    assert 0 < sum(sum(y) for _, y in after) < sum(sum(y) for _, y in before)
    errors.check(browser_page)


def test_shared_link_opens_filtered(
    demo_dashboard: Dashboard, page: tuple[object, PageErrors]
) -> None:
    browser_page, errors = page
    browser_page.goto(f"{demo_dashboard.url}/?company=amazon&struggle=ethics")  # type: ignore[attr-defined]
    wait_for_app(browser_page)
    chips = browser_page.locator('[data-testid="stMultiSelect"]').first.inner_text()  # type: ignore[attr-defined]
    assert "Amazon" in chips
    data = chart_data(browser_page)
    assert sum(sum(y) for _, y in data) >= 1
    errors.check(browser_page)
