"""Early-stop test accuracy against lambda per schedule, mean with a ± std band (Table 2)."""

from __future__ import annotations

import plotly.graph_objects as go

from scyc_tune.report.data import ReportData
from scyc_tune.report.figures._style import LAYOUT, PALETTE, lam_label
from scyc_tune.report.tables import AccuracyTable


def accuracy_figure(data: ReportData, table: AccuracyTable) -> go.Figure | None:
    if not any(row.cells for row in table.rows):
        return None
    fig = go.Figure()
    for i, row in enumerate(table.rows):
        lams = [lam for lam in table.lambdas if row.cell(lam) is not None]
        if not lams:
            continue
        colour = PALETTE[i % len(PALETTE)]
        means = [row.cell(lam).mean for lam in lams]
        stds = [row.cell(lam).std or 0.0 for lam in lams]
        upper = [m + s for m, s in zip(means, stds, strict=True)]
        lower = [m - s for m, s in zip(means, stds, strict=True)]
        group = f"row{i}"
        fig.add_trace(
            go.Scatter(
                x=lams + lams[::-1],
                y=upper + lower[::-1],
                mode="lines",
                fill="toself",
                fillcolor=_alpha(colour, 0.15),
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                legendgroup=group,
            )
        )
        dash = "dot" if row.label in table.reference_rows else "solid"
        fig.add_trace(
            go.Scatter(
                x=lams,
                y=means,
                mode="lines+markers",
                name=row.label,
                legendgroup=group,
                line={"color": colour, "dash": dash},
                text=[
                    f"{row.label}<br>λ {lam_label(lam)}: {m:.1f} ± {s:.1f}% "
                    f"({len(row.cell(lam).values)} seeds)"
                    for lam, m, s in zip(lams, means, stds, strict=True)
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(
        title=f"Early-stop test accuracy vs lambda (mean ± std over {table.seeds} seeds)",
        xaxis={
            "title": "lambda (% of weights remaining)",
            "type": "log",
            "autorange": "reversed",
            "tickvals": list(table.lambdas),
            "ticktext": [lam_label(lam) for lam in table.lambdas],
        },
        yaxis={"title": "test accuracy %"},
        legend={"orientation": "h", "y": -0.25},
        **{**LAYOUT, "height": 520},
    )
    return fig


def _alpha(hex_colour: str, a: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{a})"
