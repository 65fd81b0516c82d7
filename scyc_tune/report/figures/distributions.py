"""The paper's Fig. 1: Sturges histograms of the surviving weights' gradients and of the
hidden representations at the end of training, one line per lambda (density, so the lines
are comparable although their bins differ)."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from scyc_tune.report.data import ReportData
from scyc_tune.report.figures._style import LAYOUT, PALETTE, lam_label


def distribution_figure(data: ReportData) -> go.Figure | None:
    series = data.distributions
    if series is None:
        return None
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("weight gradients (surviving weights)", "hidden representations (ReLU)"),
    )
    for i, (_, lam, grad, hidden) in enumerate(series.cycles):
        colour = PALETTE[i % len(PALETTE)]
        for col, dist in ((1, grad), (2, hidden)):
            h = dist.histogram
            total = sum(h.counts) or 1
            centres = [(a + b) / 2 for a, b in zip(h.edges[:-1], h.edges[1:], strict=True)]
            density = [
                c / total / (b - a) if b > a else 0.0
                for c, a, b in zip(h.counts, h.edges[:-1], h.edges[1:], strict=True)
            ]
            fig.add_trace(
                go.Scatter(
                    x=centres,
                    y=density,
                    mode="lines",
                    line={"shape": "hvh", "color": colour},
                    name=f"λ = {lam_label(lam)}",
                    legendgroup=f"lam{i}",
                    showlegend=col == 1,
                    hovertemplate=f"λ {lam_label(lam)}: %{{x:.3g}}, density %{{y:.3g}}"
                    + "<extra></extra>",
                ),
                row=1,
                col=col,
            )
    fig.update_yaxes(type="log", title_text="density", row=1, col=1)
    fig.update_yaxes(type="log", row=1, col=2)
    fig.update_xaxes(title_text="gradient", row=1, col=1)
    fig.update_xaxes(title_text="activation", row=1, col=2)
    fig.update_layout(
        title=f"Distributions at the end of training ({series.source}), Sturges bins",
        **LAYOUT,
    )
    return fig
