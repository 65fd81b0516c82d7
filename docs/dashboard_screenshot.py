"""Screenshot an oracle cycle's page in optuna-dashboard (headless Chromium via Playwright and
Debian's chromium), for the README:
``python docs/dashboard_screenshot.py sqlite:///storage/scyc.db demo docs/dashboard.png``.

It starts ``scyc-tune dashboard`` (read-only) on the storage at 127.0.0.1 on a free port, opens
the study page of ``<study>/cycle-<n>`` (``--cycle n`` as the CLI numbers cycles, 1 = the first;
default the last one mirrored), waits for its plots and attribute table, writes a full-page PNG
and stops the server. Requests that would leave the machine are blocked.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright
from screenshot import ARGS  # docs/screenshot.py: the same Chromium flags

LOCAL_HOSTS = ("127.0.0.1", "localhost")
# Every plotly container with data has drawn it, and the study's attributes are on the page.
READY = """() => document.body.innerText.includes('Study User Attributes')
    && [...document.querySelectorAll('.js-plotly-plot')].every(el => el._fullLayout
        && (!(el.data || []).length || el.querySelector('.main-svg .trace, .main-svg .hm image')))
    && document.querySelectorAll('.js-plotly-plot').length > 0"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium() -> str:
    return os.environ.get("SCYC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def start_dashboard(storage: str, log_path: Path, timeout_s: float) -> tuple[subprocess.Popen, str]:
    """`scyc-tune dashboard` on a free port; returns once ``GET /api/meta`` answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "scyc_tune", "dashboard", "--storage", storage]
            + ["--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(base + "/api/meta", timeout=5):
                return proc, base
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                stop(proc)
                raise SystemExit(f"the dashboard did not start:\n{log_path.read_text()}") from None
            time.sleep(0.2)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def cycle_study(base: str, study: str, cycle: int | None) -> tuple[int, str]:
    """(dashboard id, name) of ``<study>/cycle-<cycle>``, or of the highest cycle if None."""
    with urllib.request.urlopen(base + "/api/studies", timeout=30) as r:
        summaries = json.loads(r.read())["study_summaries"]
    pattern = re.compile(re.escape(study) + r"/cycle-(\d+)")
    cycles = {
        int(found.group(1)): (s["study_id"], s["study_name"])
        for s in summaries
        if (found := pattern.fullmatch(s["study_name"]))
    }
    if not cycles:
        names = ", ".join(sorted(s["study_name"] for s in summaries)) or "none"
        raise SystemExit(f"no Optuna study {study}/cycle-<n> in the storage (studies: {names})")
    n = max(cycles) if cycle is None else cycle
    if n not in cycles:
        raise SystemExit(f"no {study}/cycle-{n}; mirrored cycles: {sorted(cycles)}")
    return cycles[n]


def main(
    storage: str,
    study: str,
    png: str,
    cycle: int | None = None,
    width: int = 1300,
    timeout_s: float = 60,
) -> Path:
    out = Path(png)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="scyc-dashboard-") as tmp:
        proc, base = start_dashboard(storage, Path(tmp) / "server.log", timeout_s)
        try:
            study_id, name = cycle_study(base, study, cycle)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium(), args=ARGS)
                try:
                    page = browser.new_page(viewport={"width": width, "height": 1000})
                    page.route(
                        "**/*",
                        lambda r: (
                            r.continue_()
                            if urlsplit(r.request.url).hostname in LOCAL_HOSTS
                            or r.request.url.startswith(("data:", "blob:", "about:"))
                            else r.abort()
                        ),
                    )
                    page.goto(f"{base}/dashboard/studies/{study_id}", wait_until="load")
                    page.wait_for_load_state("networkidle", timeout=timeout_s * 1000)
                    page.wait_for_function(READY, timeout=timeout_s * 1000)
                    page.wait_for_timeout(500)  # plotly's transitions
                    page.screenshot(path=str(out), full_page=True)
                finally:
                    browser.close()
        finally:
            stop(proc)
    print(f"{name}: {out}")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("storage", help="storage URL, e.g. sqlite:///storage/scyc.db")
    parser.add_argument("study", help="the study's name, e.g. demo")
    parser.add_argument("png", help="where to write the screenshot")
    parser.add_argument("--cycle", type=int, help="cycle number, 1 = the first (default: last)")
    parser.add_argument("--width", type=int, default=1300, help="window width in px")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for each step")
    a = parser.parse_args()
    main(a.storage, a.study, a.png, a.cycle, a.width, a.timeout)
