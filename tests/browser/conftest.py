"""Browser tests: the real app under uvicorn in a subprocess, driven by Debian's chromium.

Each test process starts one server and one browser (each test gets a fresh browser context).
The server shares the test session's database, so tests write their data with the factories
and then look at it through the browser. Playwright cannot download browsers here: chromium
comes from the system (`apt-get install chromium fonts-noto-cjk`; `.ci/run` does it).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, async_playwright

from tests.conftest import POSTGRES_SERVER

ROOT = Path(__file__).resolve().parents[2]
# Named in the README; CI keeps the folder as an artifact.
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# One server per test process (xdist worker), each on its own database, each with its log.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
SERVER_LOG = ROOT / "test-artifacts" / f"browser-server-{_WORKER}.log"
# What the tests refuse: axe's two highest impacts.
BLOCKING_IMPACTS = {"serious", "critical"}
# Every module here starts with `pytestmark = BROWSER`. xdist schedules them like the others: a
# worker that gets one starts its own server and browser (a few seconds), so they need not wait
# for one reserved worker.
BROWSER = [pytest.mark.browser]


@pytest.fixture(scope="session")
def chromium() -> str:
    if POSTGRES_SERVER:
        # The engines differ below HTTP, which the rest of the suite covers on both; the
        # browser lane runs once, on SQLite, to keep CI within its time.
        pytest.skip("browser tests run in the SQLite lane")
    path = os.environ.get("TSUNAGU_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.skip("chromium is not installed: apt-get install chromium fonts-noto-cjk")
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _database_answers(url: str) -> bool:
    """/healthz names the database ok; it answers 503 all the same, as no worker runs here."""
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as error:
        body = error.read()
    except OSError:
        return False
    return bool(json.loads(body)["database"] == "ok")


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the test server exited; see {SERVER_LOG}")
        if _database_answers(url):
            return
        time.sleep(0.1)
    raise RuntimeError(f"the test server did not answer within {seconds}s; see {SERVER_LOG}")


@pytest.fixture(scope="session")
def live_server(database: object, chromium: str) -> Iterator[str]:
    """The base URL of the app, served by uvicorn on a free port of 127.0.0.1."""
    port = _free_port()
    SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
    with SERVER_LOG.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.browser.serve", str(port)],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_healthy(url, process)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
async def browser(chromium: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium)
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Browser, live_server: str) -> AsyncIterator[Page]:
    """A fresh browser context (no cookies) on a desktop-sized window, in Japanese."""
    context = await browser.new_context(
        base_url=live_server, locale="ja-JP", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(30_000)  # a CI machine under load is slow
    opened = await context.new_page()
    yield opened
    await context.close()


async def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """The whole page, or (full_page=False) what the window shows, e.g. of a very long page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=path, full_page=full_page)
    return path


def describe(violations: list[dict[str, Any]]) -> list[str]:
    """One line per violation: rule, impact, what it means and where."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]


_AXE = Axe()


async def blocking_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    results = await _AXE.run(page)
    violations = results.response["violations"]
    return describe([v for v in violations if v["impact"] in BLOCKING_IMPACTS])


# The widths every screen is checked at: a desktop window and a phone held upright.
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(params=list(WIDTHS))
async def sized_page(
    request: pytest.FixtureRequest, browser: Browser, live_server: str
) -> AsyncIterator[Page]:
    """A fresh browser context in Japanese at each of WIDTHS (the test runs once per width)."""
    width = WIDTHS[request.param]
    context = await browser.new_context(
        base_url=live_server, locale="ja-JP", viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(30_000)
    opened = await context.new_page()
    yield opened
    await context.close()


async def overflow(page: Page) -> int:
    """How many CSS pixels the document is wider than the window (0 when nothing scrolls)."""
    excess: int = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return max(excess, 0)


async def sign_in_page(page: Page, email: str, password: str) -> None:
    await page.goto("/login")
    await page.get_by_label("メールアドレス").fill(email)
    await page.get_by_label("パスワード").fill(password)
    await page.get_by_role("button", name="サインイン").click()
    await page.wait_for_url("**/organizer")
