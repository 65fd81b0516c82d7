"""The oracle's heat map over (lambda, max_lr), with the feasible region outlined cell by cell and
the well-tuned, S-Cyc and auto max_lr drawn over it (the picture behind Tables 3, 7, 8).

A cell's colour is its distance below its own cycle's best validation accuracy, in percentage
points (0 = the best), on a scale clipped at ``CLIP_TOLERANCES`` x the study's oracle tolerance
(in points; a relative tolerance at the grid's best accuracy):
the differences that decide the feasible region are then visible instead of being swamped by
the drop to chance level of the diverged and badly tuned cells. Diverged cells and cells without
an accuracy (failed, stopped) are not on that scale: they are grey, with a mark of their own.
The hover text gives the absolute accuracy and the distance.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from scyc_tune.fit.oracle_fit import curve
from scyc_tune.oracle.region import allowed_drop, tolerance_text
from scyc_tune.report.data import GridTrial, ReportData
from scyc_tune.report.figures._style import COLOURS, LAYOUT, lam_label, log10, swatch
from scyc_tune.report.tables import hundredths

CLIP_TOLERANCES = 3  # the colour scale ends at this many oracle tolerances
CLIP_FALLBACK_PP = 1.0  # ... or at this many points when the tolerance is 0
MAX_Y_TICKS = 16
OUTLINE = "#000000"
DIVERGED_GREY, NO_RESULT_GREY = "#8c8c8c", "#cfcfcf"
FEASIBLE_GROUP = "feasible"


def tolerance_pp(data: ReportData) -> float:
    """The study's oracle tolerance in percentage points: as written in ``points`` mode; in
    ``relative`` mode at the best accuracy on the grid (0.5% of 86% is 0.43 points)."""
    spec = data.study.oracle
    accs = [t.val_acc for t in data.grid if t.val_acc is not None and t.status == "complete"]
    best = max(accs, default=1.0)
    return 100.0 * allowed_drop(best, spec.tolerance, spec.tolerance_mode)


def clip_pp(tolerance_pp: float) -> float:
    """Where the colour scale ends, in percentage points below the cycle's best."""
    return CLIP_TOLERANCES * tolerance_pp if tolerance_pp > 0 else CLIP_FALLBACK_PP


def best_val_acc(grid: list[GridTrial]) -> dict[int, float]:
    """Per cycle, the best validation accuracy (fraction) of its eligible trials (complete, with
    an accuracy: the oracle's own rule; a diverged trial is never the best)."""
    best: dict[int, float] = {}
    for t in grid:
        if t.status == "complete" and t.val_acc is not None:
            best[t.cycle] = max(best.get(t.cycle, t.val_acc), t.val_acc)
    return best


def cell_edges(centres: list[float]) -> list[float]:
    """The boundaries plotly draws between heat-map cells at ``centres`` (ascending): midpoints,
    and half the neighbouring gap beyond each end (0.5 for a single cell)."""
    if len(centres) == 1:
        return [centres[0] - 0.5, centres[0] + 0.5]
    mids = [(a + b) / 2 for a, b in zip(centres[:-1], centres[1:], strict=True)]
    return [
        centres[0] - (centres[1] - centres[0]) / 2,
        *mids,
        centres[-1] + (centres[-1] - centres[-2]) / 2,
    ]


def _heatmap(x: list, y: list, z: list, zmax: float, **style: object) -> go.Heatmap:
    """A heat map of ``z`` over cycles ``x`` and log10 max_lr ``y``, on the scale 0 to ``zmax``."""
    return go.Heatmap(x=x, y=y, z=z, zmin=0.0, zmax=zmax, **style)


def oracle_heatmap(data: ReportData) -> go.Figure | None:
    if not data.grid:
        return None
    tol = round(tolerance_pp(data), 3)
    clip = clip_pp(tol)
    cycles = sorted({t.cycle for t in data.grid})
    lams = {t.cycle: t.percent_remaining for t in data.grid}
    grid = sorted({t.max_lr for t in data.grid})
    ys = [log10(v) for v in grid]
    z, text, grey, marks = _cells(data.grid, cycles, grid, clip)
    fig = go.Figure()
    steps = [k * clip / CLIP_TOLERANCES for k in range(CLIP_TOLERANCES + 1)]
    fig.add_trace(
        _heatmap(
            cycles,
            ys,
            z,
            clip,
            text=text,
            hoverinfo="text",
            hoverongaps=False,
            colorscale="Viridis",
            reversescale=True,
            colorbar={
                "title": {
                    "text": f"points below<br>the cycle's best<br>(clipped at {clip:g})",
                    "side": "top",
                },
                "tickvals": steps,
                "ticktext": [_tick(s, tol, clip) for s in steps],
            },
            name="pp below the cycle's best",
        )
    )
    if any(s is not None for row in grey for s in row):
        fig.add_trace(
            _heatmap(
                cycles,
                ys,
                grey,
                1.0,
                colorscale=[
                    [0.0, DIVERGED_GREY],
                    [0.5, DIVERGED_GREY],
                    [0.5, NO_RESULT_GREY],
                    [1.0, NO_RESULT_GREY],
                ],
                showscale=False,
                text=text,
                hoverinfo="text",
                hoverongaps=False,
                name="diverged / no result",
            )
        )
    for kind, symbol, name in (
        ("diverged", "x", "diverged (grey, ×)"),
        ("no result", "circle-open", "failed / stopped (○)"),
    ):
        xs_, ys_, texts = marks[kind]
        if xs_:
            fig.add_trace(
                go.Scatter(
                    x=xs_,
                    y=ys_,
                    mode="markers",
                    marker={"symbol": symbol, "size": 9, "color": "#333333"},
                    name=name,
                    text=texts,
                    hoverinfo="text",
                )
            )
    oracle = data.oracle
    if oracle:
        fig.add_traces(_feasible_outline(data, cycles, grid))
        xs = [o.cycle for o in oracle]
        fig.add_trace(_line(xs, [o.well_tuned for o in oracle], "well-tuned", "well-tuned"))
        if data.scyc_paper is not None:
            paper = curve(data.scyc_paper, data.study.pruning.rate, xs)
            fig.add_trace(_line(xs, paper, "S-Cyc (study file)", "scyc-paper"))
        fitted = data.scyc_fitted("oracle")
        if fitted is not None:
            values = curve(fitted, data.study.pruning.rate, xs)
            fig.add_trace(_line(xs, values, "S-Cyc (fitted, in-sample)", "scyc-fitted"))
        if data.auto_curve is not None:
            label, values = data.auto_curve
            fig.add_trace(_line(xs, values, label, "auto"))
        if data.range_test_curve is not None:
            label, values = data.range_test_curve
            fig.add_trace(_line(xs, values, f"LR range test ({label})", "lr-range-test"))
    every = math.ceil(len(grid) / MAX_Y_TICKS)
    fig.update_layout(
        title="Oracle: validation accuracy over lambda x max_lr, as points below each cycle's best",
        xaxis={
            "title": "lambda (% of weights remaining)",
            "tickvals": cycles,
            "ticktext": [lam_label(lams[m]) for m in cycles],
        },
        yaxis={
            "title": "max_lr (x 1e-2)",
            "tickvals": ys[::every],
            "ticktext": [hundredths(v) for v in grid[::every]],
        },
        legend={"orientation": "h", "y": -0.2, "traceorder": "normal"},
        **LAYOUT,
    )
    return fig


def _cells(
    trials: list[GridTrial], cycles: list[int], grid: list[float], clip: float
) -> tuple[list, list, list, dict[str, tuple[list, list, list]]]:
    """Per grid row and cycle: the colour value (points below the cycle's best, clipped; None
    off the scale), the hover text, the grey shade (0 diverged, 1 no accuracy, None otherwise);
    and per mark ("diverged", "no result") the x, y and hover text of its cells."""
    by_cell = {(t.cycle, t.max_lr): t for t in trials}
    lams = {t.cycle: t.percent_remaining for t in trials}
    best = best_val_acc(trials)
    z, text, grey = [], [], []
    marks: dict[str, tuple[list, list, list]] = {
        "diverged": ([], [], []),
        "no result": ([], [], []),
    }
    for v in grid:
        z_row, text_row, grey_row = [], [], []
        for m in cycles:
            t = by_cell.get((m, v))
            where = f"λ {lam_label(lams[m])}, max_lr {hundredths(v)}e-2"
            value, shade, words = None, None, ""
            if t is not None and t.status == "complete" and t.val_acc is not None:
                dist = max(round(100 * (best[m] - t.val_acc), 9), 0.0)  # no float dust
                value = min(dist, clip)
                words = (
                    f"{where}<br>val acc {100 * t.val_acc:.2f}%{_spread(t)}, "
                    + (
                        "the cycle's best"
                        if dist == 0
                        else f"{dist:.2f} pp below the cycle's best ({100 * best[m]:.2f}%)"
                    )
                    + _apart(t)
                )
            elif t is not None:
                kind = "diverged" if t.status == "diverged" else "no result"
                shade = 0.0 if kind == "diverged" else 1.0
                acc = "" if t.val_acc is None else f", val acc {100 * t.val_acc:.2f}%"
                words = f"{where}<br>{t.status}{acc}: not on the colour scale"
                for column, item in zip(marks[kind], (m, log10(v), words), strict=True):
                    column.append(item)
            z_row.append(value)
            text_row.append(words)
            grey_row.append(shade)
        z.append(z_row)
        text.append(text_row)
        grey.append(grey_row)
    return z, text, grey, marks


def _spread(t: GridTrial) -> str:
    """' ± 0.41 (3 seeds)' for a replicated point's mean, '' for one seed."""
    return "" if t.std is None else f" ± {100 * t.std:.2f} ({t.n} seeds)"


def _apart(t: GridTrial) -> str:
    if t.distinguishable is None:
        return ""
    return (
        "<br>below the best (Welch, one-sided)"
        if t.distinguishable
        else "<br>not distinguishable from the best"
    )


def _tick(step: float, tol: float, clip: float) -> str:
    if step == 0:
        return "0 (best)"
    if math.isclose(step, tol):
        return f"{step:g} (tolerance)"
    if math.isclose(step, clip):
        return f"≥ {step:g}"
    return f"{step:g}"


def feasible_cells(data: ReportData) -> set[tuple[int, float]]:
    """(cycle, max_lr) of every grid cell in a finished cycle's feasible set."""
    grid = sorted({t.max_lr for t in data.grid})
    cells = set()
    for o in data.oracle:
        values = o.region.values
        for v in values:
            match = [g for g in grid if math.isclose(g, v, rel_tol=1e-9)]
            cells.update((o.cycle, g) for g in match)
    return cells


def _feasible_outline(data: ReportData, cycles: list[int], grid: list[float]) -> list[go.Scatter]:
    """One rectangle around each feasible cell (a single line trace, rectangles separated by
    gaps) and a legend entry with a square swatch; one legend group toggles both."""
    x_edges = cell_edges([float(m) for m in cycles])
    y_edges = cell_edges([log10(v) for v in grid])
    xs: list[float | None] = []
    ys: list[float | None] = []
    for m, v in sorted(feasible_cells(data)):
        if m not in cycles:
            continue
        i, j = cycles.index(m), grid.index(v)
        x0, x1, y0, y1 = x_edges[i], x_edges[i + 1], y_edges[j], y_edges[j + 1]
        xs += [x0, x1, x1, x0, x0, None]
        ys += [y0, y0, y1, y1, y0, None]
    spec = data.study.oracle
    name = f"feasible (within {tolerance_text(spec.tolerance, spec.tolerance_mode)})"
    return [
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": OUTLINE, "width": 2},
            connectgaps=False,
            hoverinfo="skip",
            showlegend=False,
            legendgroup=FEASIBLE_GROUP,
            name=name,
        ),
        swatch(name, "square-open", OUTLINE, {"width": 2, "color": OUTLINE}, FEASIBLE_GROUP),
    ]


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
