"""S-Cyc's max_lr over cycles (the S-curve) for the fitted and the study file's parameters,
with the four phases of the fitted curve marked.

Phases (the paper's Section 4.2 names them; it gives no numeric boundaries, so we use the
10%-90% rise of the S-curve): No Growth for m <= q; Slow Growth I while max_lr has risen by less
than 10% of delta; Fast Growth between 10% and 90%; Slow Growth II beyond 90%.

max_lr is drawn in hundredths (x 1e-2), the unit of the heat map and Tables 2 and 3. The phases
are shaded bands named in the legend (labels written on the bands overlap on a narrow page).
"""

from __future__ import annotations

import plotly.graph_objects as go

from scyc_tune.report.data import ReportData
from scyc_tune.report.figures._style import COLOURS, LAYOUT, swatch
from scyc_tune.schedules.scyc import SCycParams, scyc_max_lr

PHASES = ("No Growth", "Slow Growth I", "Fast Growth", "Slow Growth II")
PHASE_COLOURS = ("#eeeeee", "#dbe9f6", "#fde0c5", "#e0f0d8")
STEPS = 40  # points per cycle on the continuous curve
HUNDREDTHS = 100.0  # max_lr is drawn x 1e-2


def smooth_max_lr(p: SCycParams, m: float, pruning_rate: float) -> float:
    """The S-curve at real-valued m (the schedule itself is only used at integer cycles)."""
    return scyc_max_lr(p.epsilon, p.delta, p.q, p.beta, pruning_rate, m)  # type: ignore[arg-type]


def _s_curve(p: SCycParams, ms: list, pruning_rate: float, **style: object) -> go.Scatter:
    """The S-curve of ``p`` at the cycles ``ms``, in hundredths, drawn in ``style``."""
    ys = [HUNDREDTHS * smooth_max_lr(p, m, pruning_rate) for m in ms]
    return go.Scatter(x=ms, y=ys, **style)


def phase_of(p: SCycParams, m: float, pruning_rate: float) -> int:
    """0..3, the index into PHASES of cycle ``m``."""
    if m <= p.q:
        return 0
    rise = 0.0 if p.delta == 0 else (smooth_max_lr(p, m, pruning_rate) - p.epsilon) / p.delta
    return 1 if rise < 0.1 else 2 if rise < 0.9 else 3


def phase_spans(p: SCycParams, xs: list[float], pruning_rate: float) -> list[tuple]:
    """(phase index, x0, x1) of each run of consecutive ``xs`` in one phase; a span ends where
    the next begins, the last at ``xs[-1]``."""
    spans, start = [], 0
    phases = [phase_of(p, x, pruning_rate) for x in xs]
    for i in range(1, len(xs) + 1):
        if i == len(xs) or phases[i] != phases[start]:
            spans.append((phases[start], xs[start], xs[i - 1] if i == len(xs) else xs[i]))
            start = i
    return spans


def scurve_figure(data: ReportData) -> go.Figure | None:
    fitted = data.scyc_fitted("oracle")
    main = fitted or data.scyc_paper
    if main is None:
        return None
    rate, last = data.study.pruning.rate, data.cycles - 1
    xs = [i / STEPS for i in range(last * STEPS + 1)]
    fig = go.Figure()
    spans = phase_spans(main, xs, rate)
    for k, x0, x1 in spans:
        fig.add_vrect(
            x0=x0, x1=x1, fillcolor=PHASE_COLOURS[k], opacity=0.8, layer="below", line_width=0
        )
    curves = [("S-Cyc (study file)", data.scyc_paper, "scyc-paper")]
    if fitted is not None:
        curves.append(("S-Cyc (fitted to the oracle)", fitted, "scyc-fitted"))
    for name, p, colour in curves:
        if p is None:
            continue
        line = {"color": COLOURS[colour]}
        fig.add_trace(_s_curve(p, xs, rate, mode="lines", name=name, line=line))
        fig.add_trace(
            _s_curve(
                p,
                list(range(last + 1)),
                rate,
                mode="markers",
                showlegend=False,
                marker={"color": COLOURS[colour]},
                hovertemplate=f"{name}<br>cycle %{{x}}: max_lr %{{y:.3g}}e-2<extra></extra>",
            )
        )
    if data.oracle:
        fig.add_trace(
            go.Scatter(
                x=[o.cycle for o in data.oracle],
                y=[HUNDREDTHS * o.well_tuned for o in data.oracle],
                mode="markers",
                name="oracle well-tuned",
                marker={"color": COLOURS["well-tuned"], "symbol": "x", "size": 10},
                hovertemplate="oracle well-tuned<br>cycle %{x}: max_lr %{y:.3g}e-2<extra></extra>",
            )
        )
    for k in sorted({k for k, _, _ in spans}):  # the phases' names, in the legend
        line = {"width": 1, "color": "#999999"}
        fig.add_trace(swatch(f"phase: {PHASES[k]}", "square", PHASE_COLOURS[k], line, "phases"))
    fig.update_layout(
        title="S-Cyc: max_lr vs pruning cycle, phases of the "
        + ("fitted" if fitted is not None else "study file's")
        + " curve",
        xaxis={"title": "pruning cycle m", "dtick": 1},
        yaxis={"title": "max_lr (x 1e-2)"},
        legend={"orientation": "h", "y": -0.2, "traceorder": "normal"},
        **LAYOUT,
    )
    return fig
