"""Headless-Chromium fixtures: open a page fully offline and report what a reader would see.

The browser is Debian's ``chromium`` package (Playwright never downloads one here); every test
that needs it is skipped, with the reason, where it or the ``playwright`` package is missing.
Helpers are fixtures because the suite runs with ``--import-mode=importlib``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Route

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Schemes that never leave the machine; a request to anything else breaks "self-contained".
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")
LOCAL_HOSTS = ("127.0.0.1", "localhost")  # a test's own server, e.g. `dashboard_server`

# Resolves once every plotly container is plotted and each one with data has drawn something.
# Scatter, bar, box... draw `g.trace` groups; a heatmap draws `g.hm > image` and no `.trace`.
_PLOTS_READY = """() => [...document.querySelectorAll('.plotly-graph-div, .js-plotly-plot')]
    .every(el => el._fullLayout && (!(el.data || []).length
        || el.querySelector('.main-svg .trace, .main-svg .hm image')))"""

_SUMMARY = """() => [...document.querySelectorAll('.js-plotly-plot')].map(el => {
    const title = el.layout && el.layout.title;
    return {
        traces: (el.data || []).length,
        drawn: el.querySelectorAll('.main-svg .trace, .main-svg .hm image').length,
        title: typeof title === 'string' ? title : (title && title.text) || '',
    };
})"""


@dataclass
class PageLog:
    """What a page did while open: console/page errors and requests that left the machine."""

    errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)


@dataclass
class PageCheck:
    """One rendered plotly page as the browser saw it."""

    errors: list[str]  # console messages of type "error" and uncaught exceptions ("pageerror")
    external_requests: list[str]  # URLs outside file:/data:/about:/blob: (blocked, then listed)
    plots: int  # `.js-plotly-plot` containers, i.e. figures plotly.js took on
    plots_with_traces: int  # containers with >= 1 trace in `el.data` that drew it in the SVG
    titles: list[str]  # each container's layout title text, "" where untitled
    text: str  # document.body.innerText


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Chromium binary: $SCYC_CHROMIUM, /usr/bin/chromium or `chromium` on PATH; else skip."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"playwright is not importable ({exc}); pip install -e '.[test]'")
    env = os.environ.get("SCYC_CHROMIUM")
    if env:
        if os.access(env, os.X_OK):
            return env
        pytest.skip(f"SCYC_CHROMIUM={env!r} is not an executable file")
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip("Chromium not installed (Debian package 'chromium'; .ci/run installs it)")


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    """One headless Chromium for the whole session, closed (with Playwright) at the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def offline_page(browser: Browser) -> Iterator[Callable[[], tuple[Page, PageLog]]]:
    """Factory for fresh pages that log errors and block (and list) every non-local request.

    Requests to 127.0.0.1/localhost count as local too, so a page served by a test server works.
    """
    pages = []

    def open_page() -> tuple[Page, PageLog]:
        page = browser.new_page()
        pages.append(page)
        log = PageLog()

        def route(r: Route) -> None:
            url = r.request.url
            if url.startswith(LOCAL_SCHEMES) or urlsplit(url).hostname in LOCAL_HOSTS:
                r.continue_()
            else:
                log.external_requests.append(url)
                r.abort()

        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                log.errors.append(f"console: {message.text}")

        page.route("**/*", route)
        page.on("console", console)
        page.on("pageerror", lambda exc: log.errors.append(f"pageerror: {exc}"))
        return page, log

    yield open_page
    for page in pages:
        page.close()


@pytest.fixture
def plotly_page(offline_page) -> Callable[..., PageCheck]:
    """`check(html_path, screenshot_path, *, draw_timeout_ms=15_000) -> PageCheck`.

    Opens the local file by its file:// URL, waits for the load event, network idle and plotly.js
    to draw (a page that never finishes drawing is reported as it stands after `draw_timeout_ms`,
    not raised), then saves a full-page PNG to `screenshot_path`.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    def check(
        html_path: Path, screenshot_path: Path, *, draw_timeout_ms: int = 15_000
    ) -> PageCheck:
        page, log = offline_page()
        # "networkidle" alone can fire before the parser reaches the end of a page whose
        # inline plotly.js takes a while to run, so wait for "load" first.
        page.goto(Path(html_path).resolve().as_uri(), wait_until="load", timeout=60_000)
        page.wait_for_load_state("networkidle", timeout=60_000)
        try:
            page.wait_for_function(_PLOTS_READY, timeout=draw_timeout_ms)
        except PlaywrightTimeout:
            pass  # reported through plots / plots_with_traces below
        summary = page.evaluate(_SUMMARY)
        page.screenshot(path=str(screenshot_path), full_page=True)
        return PageCheck(
            errors=list(log.errors),
            external_requests=list(log.external_requests),
            plots=len(summary),
            plots_with_traces=sum(1 for s in summary if s["traces"] and s["drawn"]),
            titles=[s["title"] for s in summary],
            text=page.evaluate("document.body.innerText"),
        )

    return check


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dashboard_server(tmp_path_factory) -> Iterator[Callable[..., str]]:
    """`start(storage_url, *extra_args) -> base_url`: `scyc-tune dashboard` on a free port.

    Returns once `GET /api/meta` answers; every server started is terminated at teardown.
    The server's log goes to a file (a pipe nobody reads would fill and stall it).
    """
    procs: list[subprocess.Popen] = []

    def start(storage_url: str, *extra_args: str, timeout_s: float = 60) -> str:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log_path = tmp_path_factory.mktemp("dashboard") / "server.log"
        with open(log_path, "w") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "scyc_tune", "dashboard", "--storage", storage_url]
                + ["--port", str(port), *extra_args],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        procs.append(proc)
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(base + "/api/meta", timeout=5):
                    return base
            except (urllib.error.URLError, ConnectionError) as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"dashboard did not start: {log_path.read_text()}"
                    ) from exc
                time.sleep(0.2)

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
