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
    names = ["e2e/cycle-1", "e2e/cycle-2", "e2e/cycle-3", "e2e/fit-oracle"]
    page.goto(base, wait_until="load", timeout=30_000)
    page.wait_for_function(
        "names => names.every(n => document.body.innerText.includes(n))",
        arg=names,
        timeout=30_000,
    )
    page.screenshot(path=str(pipeline.root / "dashboard.png"), full_page=True)
    assert log.errors == []
    assert log.external_requests == []


# At 800 px: nothing wider than the window (a wide table scrolls inside its wrapper), every
# figure as wide as its container, no phase labels written on the S-curve's bands (the only
# annotations left are Fig. 1's two subplot titles).
_LAYOUT_800 = """() => {
    const doc = document.documentElement;
    const wraps = [...document.querySelectorAll('.table-wrap')];
    const figures = [...document.querySelectorAll('.js-plotly-plot')];
    return {
        page: doc.scrollWidth,
        window: window.innerWidth,
        tables: document.querySelectorAll('table').length,
        wrapped: document.querySelectorAll('.table-wrap > table').length,
        scrolling: wraps.filter(w => w.scrollWidth > w.clientWidth).length,
        figures: figures.map(f => [f.getBoundingClientRect().right, f.parentElement.clientWidth,
                                   f.getBoundingClientRect().width]),
        annotations: document.querySelectorAll('.js-plotly-plot .annotation').length,
    };
}"""


def open_at_800(offline_page, html_path):
    page, log = offline_page()
    page.set_viewport_size({"width": 800, "height": 1000})
    page.goto(html_path.resolve().as_uri(), wait_until="load", timeout=60_000)
    page.wait_for_function(
        "[...document.querySelectorAll('.js-plotly-plot')].every(el => el._fullLayout)",
        timeout=30_000,
    )
    page.wait_for_timeout(300)
    return page, log


def test_a_wide_table_scrolls_inside_its_box_at_800px(tmp_path, offline_page):
    import plotly.graph_objects as go

    from scyc_tune.report.page import Section, render

    lams = [100 * 0.8**m for m in range(14)]
    head = "| schedule | " + " | ".join(f"λ = {x:.3g}" for x in lams) + " |"
    rule = "|---|" + "---:|" * len(lams)
    row = "| S-Cyc (fitted to the oracle) | " + " | ".join("**91.2 ± 0.4**†" for _ in lams) + " |"
    fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])).update_layout(height=300)
    html_path = tmp_path / "report.html"
    html_path.write_text(
        render("wide", "s", [], [Section("Table 2", (fig,), "\n".join([head, rule, row]))])
    )
    page, log = open_at_800(offline_page, html_path)
    got = page.evaluate(_LAYOUT_800)
    page.screenshot(path=str(tmp_path / "wide-800.png"), full_page=True)
    assert log.errors == []
    assert got["page"] <= got["window"] == 800
    assert got["tables"] == got["wrapped"] == 1 and got["scrolling"] == 1
    ((right, container, width),) = got["figures"]
    assert right <= 800 and width == container


def test_report_holds_at_800px(pipeline, offline_page):
    page, log = open_at_800(offline_page, pipeline.report_dir / "report.html")
    got = page.evaluate(_LAYOUT_800)
    page.screenshot(path=str(pipeline.root / "report-800.png"), full_page=True)
    assert log.errors == [] and log.external_requests == []
    assert got["page"] <= got["window"] == 800
    assert got["tables"] == got["wrapped"] >= 2  # Tables 3 and 2
    assert len(got["figures"]) == FIGURES
    for right, container, width in got["figures"]:
        assert right <= 800 and width == container
    assert got["annotations"] == 2  # the two subplot titles of Fig. 1; no labels on bands
