"""report.html of the end-to-end run in headless Chromium: every plotly figure draws, no
JavaScript error, nothing fetched from the network; a screenshot is saved."""

import pytest

pytestmark = pytest.mark.browser

FIGURES = 4  # oracle heat map, S-curve, accuracy vs lambda, distributions


def test_report_renders_every_figure_offline(pipeline, plotly_page):
    html_path = pipeline.report_dir / "report.html"
    shot = pipeline.root / "report.png"
    page = plotly_page(html_path, shot)
    assert page.errors == []
    assert page.external_requests == []
    assert page.plots == FIGURES
    assert page.plots_with_traces == FIGURES
    assert any(t.startswith("Oracle: validation accuracy") for t in page.titles)
    assert any(t.startswith("Early-stop test accuracy") for t in page.titles)
    assert "Schedule comparison (Table 2)" in page.text
    assert "Well-tuned max_lr" in page.text
    assert shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_dashboard_shows_the_runs_studies(pipeline, dashboard_server, offline_page):
    base = dashboard_server(f"sqlite:///{pipeline.root / 'storage' / 'scyc.db'}")
    page, log = offline_page()
    names = ["e2e/cycle-0", "e2e/cycle-1", "e2e/cycle-2", "e2e/fit-oracle"]
    page.goto(base, wait_until="load", timeout=30_000)
    page.wait_for_function(
        "names => names.every(n => document.body.innerText.includes(n))",
        arg=names,
        timeout=30_000,
    )
    page.screenshot(path=str(pipeline.root / "dashboard.png"), full_page=True)
    assert log.errors == []
    assert log.external_requests == []
