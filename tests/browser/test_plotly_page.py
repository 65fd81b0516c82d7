"""A self-contained plotly page renders offline in headless Chromium; broken pages are caught."""

import plotly.graph_objects as go
import plotly.io as pio
import pytest

pytestmark = pytest.mark.browser

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def write_page(path, *figures, head=""):
    """One HTML document holding `figures`, with plotly.js inlined once (by the first)."""
    divs = [
        pio.to_html(fig, full_html=False, include_plotlyjs=(i == 0))
        for i, fig in enumerate(figures)
    ]
    body = "\n".join(divs)
    path.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head>'
        f"<body><h1>scyc-tune report</h1>{body}</body></html>",
        encoding="utf-8",
    )
    return path


def heatmap_and_scatter():
    fig = go.Figure(
        [
            go.Heatmap(z=[[0.1, 0.4, 0.7], [0.2, 0.5, 0.9]], colorscale="Viridis"),
            go.Scatter(x=[0, 1, 2], y=[0, 1, 0.5], mode="markers", name="best"),
        ]
    )
    return fig.update_layout(title="accuracy over max_lr x percent_remaining")


def line_chart():
    fig = go.Figure(go.Scatter(x=[0, 1, 2, 3], y=[0.1, 0.4, 0.2, 0.05], mode="lines"))
    return fig.update_layout(title={"text": "learning rate per iteration"})


def test_self_contained_page_renders_offline(tmp_path, plotly_page):
    html = write_page(tmp_path / "report.html", heatmap_and_scatter(), line_chart())
    shot = tmp_path / "report.png"
    page = plotly_page(html, shot)
    assert page.errors == []
    assert page.external_requests == []
    assert page.plots == 2
    assert page.plots_with_traces == 2
    assert page.titles == [
        "accuracy over max_lr x percent_remaining",
        "learning rate per iteration",
    ]
    assert "scyc-tune report" in page.text
    assert shot.read_bytes().startswith(PNG_MAGIC) and shot.stat().st_size > 1024


def test_plotly_inlined_once(tmp_path):
    html = write_page(tmp_path / "report.html", heatmap_and_scatter(), line_chart())
    # The bundle's license banner appears once per copy of plotly.js.
    assert html.read_text(encoding="utf-8").count("plotly.js v") == 1


def test_js_error_is_reported(tmp_path, plotly_page):
    html = tmp_path / "broken.html"
    html.write_text("<html><body><p>x</p><script>undefinedFunction()</script></body></html>")
    page = plotly_page(html, tmp_path / "broken.png")
    assert any("undefinedFunction" in e for e in page.errors), page.errors
    assert page.plots == 0


def test_figure_without_data_draws_no_traces(tmp_path, plotly_page):
    html = write_page(tmp_path / "empty.html", go.Figure().update_layout(title="nothing"))
    page = plotly_page(html, tmp_path / "empty.png")
    assert page.errors == []
    assert (page.plots, page.plots_with_traces) == (1, 0)
    assert page.titles == ["nothing"]


def test_trace_without_points_draws_nothing(tmp_path, plotly_page):
    # One trace in `el.data`, but nothing to draw: counted as a plot, not as drawn.
    html = write_page(tmp_path / "empty.html", go.Figure(go.Scatter(x=[], y=[])))
    page = plotly_page(html, tmp_path / "empty.png", draw_timeout_ms=2_000)
    assert (page.plots, page.plots_with_traces) == (1, 0)


def test_external_request_is_blocked_and_listed(tmp_path, plotly_page):
    cdn = "https://cdn.plot.ly/plotly-3.0.0.min.js"
    html = write_page(tmp_path / "cdn.html", line_chart(), head=f'<script src="{cdn}"></script>')
    page = plotly_page(html, tmp_path / "cdn.png")
    assert page.external_requests == [cdn]
