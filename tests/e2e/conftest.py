"""Browser tests: a real Streamlit server on a free port, driven in Debian's headless Chromium.

Chromium comes from Debian's package (``make test`` installs it when root); Playwright only
drives it through ``executable_path`` and never downloads a browser.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.conftest import CHROMIUM, skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Dashboard:
    url: str
    database_url: str
    process: subprocess.Popen[bytes]
    log: Path


def start_dashboard(
    database_url: str, log: Path, extra_env: dict[str, str] | None = None
) -> Dashboard:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, **(extra_env or {})}
    handle = log.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                return Dashboard(url, database_url, process, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not become healthy:\n{log.read_text()[-3000:]}")


def stop_dashboard(dashboard: Dashboard) -> None:
    dashboard.process.terminate()
    try:
        dashboard.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        dashboard.process.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        skip_or_fail("Debian's chromium is not installed (make test installs it when run as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright package is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def demo_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """The dashboard on a fresh SQLite store holding the demo data."""
    from campaigns.store import load_demo, open_store
    from db.engine import dispose_engines

    directory = tmp_path_factory.mktemp("dashboard")
    database_url = f"sqlite:///{directory / 'campaigns.db'}"
    load_demo(open_store(database_url))
    dispose_engines()
    dashboard = start_dashboard(database_url, directory / "streamlit.log")
    yield dashboard
    stop_dashboard(dashboard)


@dataclass
class PageErrors:
    console: list[str] = field(default_factory=list)

    def check(self, page: object) -> None:
        exceptions = page.locator('[data-testid="stException"]')  # type: ignore[attr-defined]
        assert exceptions.count() == 0, exceptions.first.inner_text()
        assert not self.console, f"browser console errors: {self.console}"


@pytest.fixture
def page(browser: object) -> Iterator[tuple[object, PageErrors]]:
    """A fresh tall page that records console errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = context.new_page()
    errors = PageErrors()
    page.on(
        "console",
        lambda msg: errors.console.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: errors.console.append(str(exc)))
    yield page, errors
    context.close()


def wait_for_app(page: object, timeout: float = 30_000) -> None:
    """Wait until Streamlit has drawn the app and the script run has finished."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelector('[data-testid=\"stMainBlockContainer\"]')",
        timeout=timeout,
    )
    page.wait_for_timeout(500)  # type: ignore[attr-defined]
