"""Screenshot a report.html in headless Chromium (Playwright + Debian's chromium), for the README,
at a wide and a narrow window: ``python docs/screenshot.py storage/reports/demo/report.html
docs/report.png`` writes docs/report.png (1300 px wide) and docs/report-800.png (800 px).
A third argument sets the height of the clip in px (default 2400; 0 = the whole page)."""

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
WIDTHS = (1300, 800)  # the first is written to ``png`` itself, the others to <stem>-<width>.png


def shot_paths(png: str, widths: tuple[int, ...] = WIDTHS) -> dict[int, Path]:
    """Where each width's screenshot goes: ``png`` for the first, ``<stem>-<width><suffix>``
    beside it for the others."""
    path = Path(png)
    return {
        w: path if i == 0 else path.with_name(f"{path.stem}-{w}{path.suffix}")
        for i, w in enumerate(widths)
    }


def main(html: str, png: str, height: int = 2400) -> list[Path]:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        for width, out in shot_paths(png).items():
            page = browser.new_page(viewport={"width": width, "height": height or 1000})
            page.goto(Path(html).resolve().as_uri(), wait_until="load")
            page.wait_for_function(
                "[...document.querySelectorAll('.js-plotly-plot')].every(el => el._fullData)"
            )
            page.wait_for_timeout(500)
            if height:
                page.screenshot(
                    path=str(out), clip={"x": 0, "y": 0, "width": width, "height": height}
                )
            else:
                page.screenshot(path=str(out), full_page=True)
            page.close()
            written.append(out)
        browser.close()
    return written


if __name__ == "__main__":
    for path in main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:4])):
        print(path)
