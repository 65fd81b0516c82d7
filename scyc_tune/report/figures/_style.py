"""Shared look: colours per curve and the lambda tick labels."""

from __future__ import annotations

import math

import plotly.graph_objects as go

COLOURS = {
    "well-tuned": "#111111",
    "scyc-paper": "#1f77b4",
    "scyc-fitted": "#d62728",
    "auto": "#2ca02c",
    "lr-range-test": "#9467bd",
}
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
# no width: every figure fills its container (autosize) and follows it (config responsive)
LAYOUT = {
    "template": "plotly_white",
    "autosize": True,
    "height": 460,
    "margin": {"l": 70, "r": 30, "t": 60, "b": 60},
}


def lam_label(percent_remaining: float) -> str:
    return f"{percent_remaining:.3g}"


def log10(x: float) -> float:
    return math.log10(x)


def swatch(name: str, symbol: str, colour: str, line: dict, group: str) -> go.Scatter:
    """A legend entry with a square swatch and no points (for shapes plotly cannot list)."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        marker={"symbol": symbol, "size": 14, "color": colour, "line": line},
        name=name,
        legendgroup=group,
    )
