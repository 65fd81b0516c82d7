"""Screenshot a report.html in headless Chromium (Playwright + Debian's chromium), for the
README: ``python docs/screenshot.py storage/reports/demo/report.html docs/report.png``."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main(html: str, png: str, height: int = 2400) -> None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": height})
        page.goto(Path(html).resolve().as_uri(), wait_until="load")
        page.wait_for_function(
            "[...document.querySelectorAll('.js-plotly-plot')].every(el => el._fullData)"
        )
        page.wait_for_timeout(500)
        page.screenshot(path=png, clip={"x": 0, "y": 0, "width": 1200, "height": height})
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
