"""The oracle's heat map: validation accuracy over (lambda, max_lr), with the feasible band and
the well-tuned, S-Cyc and auto max_lr drawn over it (the picture behind Tables 3, 7, 8)."""

from __future__ import annotations

import plotly.graph_objects as go

from scyc_tune.fit.oracle_fit import curve
from scyc_tune.report.data import ReportData
from scyc_tune.report.figures._style import COLOURS, LAYOUT, lam_label, log10
from scyc_tune.report.tables import hundredths


def oracle_heatmap(data: ReportData) -> go.Figure | None:
    if not data.grid:
        return None
    cycles = sorted({t.cycle for t in data.grid})
    lams = {t.cycle: t.percent_remaining for t in data.grid}
    grid = sorted({t.max_lr for t in data.grid})
    acc = {(t.cycle, t.max_lr): t.val_acc for t in data.grid}
    z = [[None if acc.get((m, v)) is None else 100 * acc[(m, v)] for m in cycles] for v in grid]
    text = [
        [
            f"λ {lam_label(lams[m])}, max_lr {hundredths(v)}e-2: "
            + ("no result" if acc.get((m, v)) is None else f"{100 * acc[(m, v)]:.1f}%")
            for m in cycles
        ]
        for v in grid
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            x=cycles,
            y=[log10(v) for v in grid],
            z=z,
            text=text,
            hoverinfo="text",
            colorscale="Viridis",
            colorbar={"title": "val acc %"},
            name="validation accuracy",
        )
    )
    oracle = data.oracle
    if oracle:
        xs = [o.cycle for o in oracle]
        lo = [log10(min(o.feasible) if o.feasible else o.low) for o in oracle]
        hi = [log10(max(o.feasible) if o.feasible else o.high) for o in oracle]
        fig.add_trace(
            go.Scatter(
                x=xs + xs[::-1],
                y=[h + 0.04 for h in hi] + [lo_ - 0.04 for lo_ in lo[::-1]],
                fill="toself",
                fillcolor="rgba(255,255,255,0.25)",
                line={"color": "white", "dash": "dot"},
                name="feasible region",
                hoverinfo="skip",
            )
        )
        fig.add_trace(_line(xs, [o.well_tuned for o in oracle], "well-tuned", "well-tuned"))
        if data.scyc_paper is not None:
            paper = curve(data.scyc_paper, data.study.pruning.rate, xs)
            fig.add_trace(_line(xs, paper, "S-Cyc (study file)", "scyc-paper"))
        fitted = data.scyc_fitted("oracle")
        if fitted is not None:
            values = curve(fitted, data.study.pruning.rate, xs)
            fig.add_trace(_line(xs, values, "S-Cyc (fitted)", "scyc-fitted"))
        if data.auto_curve is not None:
            label, values = data.auto_curve
            fig.add_trace(_line(xs, values, label, "auto"))
    fig.update_layout(
        title="Oracle: validation accuracy over lambda x max_lr",
        xaxis={
            "title": "lambda (% of weights remaining)",
            "tickvals": cycles,
            "ticktext": [lam_label(lams[m]) for m in cycles],
        },
        yaxis={
            "title": "max_lr (x 1e-2)",
            "tickvals": [log10(v) for v in grid],
            "ticktext": [hundredths(v) for v in grid],
        },
        legend={"orientation": "h", "y": -0.2},
        **LAYOUT,
    )
    return fig


def _line(xs, values, name, colour) -> go.Scatter:
    return go.Scatter(
        x=xs,
        y=[log10(v) for v in values],
        mode="lines+markers",
        name=name,
        line={"color": COLOURS[colour], "width": 3 if colour == "well-tuned" else 2},
        text=[f"{name}: {hundredths(v)}e-2" for v in values],
        hoverinfo="text",
    )
