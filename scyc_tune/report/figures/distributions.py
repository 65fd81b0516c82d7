"""The paper's Fig. 1: the stored Sturges histograms of the surviving weights' gradients and of
the hidden representations at the end of training, one step line per lambda.

The lines are densities (count / total / bin width), so they are comparable although each
lambda's bins differ. Each panel's x-range is common to all lambdas: symmetric about 0, out to
the largest 99th percentile of |x| over the lambdas (so it holds at least 99% of every lambda's
values), cut to where the histograms have data. The extreme values of one network (the
sparsest, usually) then no longer squeeze the others into a spike at 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from scyc_tune.analysis.distribution import Distribution
from scyc_tune.report.data import ReportData
from scyc_tune.report.figures._style import LAYOUT, PALETTE, lam_label

WINDOW_LEVEL = 0.99  # the x-range holds this share of every lambda's |x|
PANELS = (
    (
        "weight gradients (surviving weights)",
        "gradient ∂L/∂w (L: training loss)",
        "density (per unit ∂L/∂w, log)",
    ),
    (
        "hidden representations (ReLU)",
        "activation (ReLU output)",
        "density (per unit activation, log)",
    ),
)


def window(dists: Sequence[Distribution]) -> tuple[float, float]:
    """The common x-range of one panel: [-r, r] with r the largest ``WINDOW_LEVEL`` quantile of
    |x| over ``dists``, cut to the span of their histograms (e.g. [0, r] for ReLU outputs)."""
    r = max(d.abs_quantiles[d.quantile_levels.index(WINDOW_LEVEL)] for d in dists)
    lo = min(d.histogram.edges[0] for d in dists)
    hi = max(d.histogram.edges[-1] for d in dists)
    if r <= 0:  # all mass at 0: show the histograms whole
        return lo, hi
    return max(-r, lo), min(r, hi)


def density_steps(dist: Distribution) -> tuple[list[float], list[float]]:
    """(x, y) of the histogram as a step line (``line_shape="hv"``): x the bin edges, y each
    bin's density, the last repeated so the last bin is drawn to its right edge."""
    h = dist.histogram
    total = sum(h.counts) or 1
    density = [
        c / total / (b - a) if b > a else 0.0
        for c, a, b in zip(h.counts, h.edges[:-1], h.edges[1:], strict=True)
    ]
    return list(h.edges), density + density[-1:]


def _bins(dist: Distribution) -> list[tuple[float, float, int]]:
    """(left edge, right edge, count) per point of ``density_steps``, for the hover text."""
    h = dist.histogram
    bins = list(zip(h.edges[:-1], h.edges[1:], h.counts, strict=True))
    return bins + bins[-1:]


def colours(n: int) -> list[str]:
    """The shared palette for a few lambdas; an ordered Viridis ramp beyond it."""
    if n <= len(PALETTE):
        return PALETTE[:n]
    return sample_colorscale("Viridis", [i / (n - 1) for i in range(n)])


def distribution_figure(data: ReportData) -> go.Figure | None:
    series = data.distributions
    if series is None:
        return None
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=[p[0] for p in PANELS], horizontal_spacing=0.14
    )
    palette = colours(len(series.cycles))
    for col, index in ((1, 2), (2, 3)):
        dists = [c[index] for c in series.cycles]
        for i, (c, dist) in enumerate(zip(series.cycles, dists, strict=True)):
            lam = lam_label(c[1])
            x, y = density_steps(dist)
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="lines",
                    line={"shape": "hv", "color": palette[i]},
                    name=f"λ = {lam}",
                    legendgroup=f"lam{i}",
                    showlegend=col == 1,
                    customdata=_bins(dist),
                    hovertemplate=f"λ {lam}: [%{{customdata[0]:.3g}}, %{{customdata[1]:.3g}})"
                    + ": %{customdata[2]} values, density %{y:.3g}<extra></extra>",
                ),
                row=1,
                col=col,
            )
        lo, hi = window(dists)
        _, x_title, y_title = PANELS[col - 1]
        fig.update_xaxes(title_text=x_title, range=[lo, hi], row=1, col=col)
        fig.update_yaxes(
            type="log", dtick=1, exponentformat="power", title_text=y_title, row=1, col=col
        )
    fig.update_layout(
        title={
            "text": f"Distributions at the end of training ({series.source})",
            "subtitle": {
                "text": f"Sturges bins; each x-range holds ≥ {WINDOW_LEVEL:.0%} of every "
                "lambda's values"
            },
        },
        legend={"orientation": "h", "y": -0.22},
        **{**LAYOUT, "height": 500, "margin": {**LAYOUT["margin"], "t": 110}},
    )
    return fig
