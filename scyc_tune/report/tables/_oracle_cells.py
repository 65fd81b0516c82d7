"""The Table 3 grid as plain text pieces, shared by the Markdown and LaTeX renderers."""

from __future__ import annotations

from scyc_tune.report.tables._format import MISSING, hundredths
from scyc_tune.report.tables.oracle import (
    BEST,
    EFFECTIVE,
    REGION,
    TIED,
    WELL_TUNED,
    OracleColumn,
    OracleTable,
    inside_count,
    oracle_missing,
)

FOOTNOTE = (
    "max_lr in hundredths (x 1e-2); * = feasible set has holes; "
    "✓ inside / ✗ outside the feasible region"
)
#: the effective lambda is shown where it parts from lambda by more than this (points)
EFFECTIVE_SHOWN = 0.5


def _region(c: OracleColumn) -> str:
    if c.low is None or c.high is None:
        return MISSING
    return _span(c.low, c.high, c.contiguous)


def _span(low: float, high: float, contiguous: bool) -> str:
    return f"[{hundredths(low)}, {hundredths(high)}]" + ("" if contiguous else "*")


def _tied(c: OracleColumn) -> str:
    if not c.tied:
        return MISSING
    return _span(c.tied[0], c.tied[-1], c.tied_contiguous)


def _effective(c: OracleColumn) -> str:
    return MISSING if c.percent_effective is None else f"{c.percent_effective:.3g}"


def _best(c: OracleColumn) -> str:
    if c.best_val is None:
        return MISSING
    mean = f"{100 * c.best_val:.1f}"
    return mean if c.best_std is None else f"{mean} ± {100 * c.best_std:.1f}"


def oracle_rows(table: OracleTable) -> list[list[list[str]]]:
    """Two row groups: the oracle (well-tuned, region and, where known, the well-tuned
    point's validation accuracy, mean ± std over the seeds, the points its seeds cannot tell
    from it, and the effective lambda where it parts from lambda) and the curves. A curve cell is
    '4.5 ✓', '4.5 ✗', '4.5' (cannot tell) or '–'; the last column is 'k/n' inside ('–' when
    no column can tell, '' on the oracle's rows)."""
    well = [
        WELL_TUNED,
        *(MISSING if c.well_tuned is None else hundredths(c.well_tuned) for c in table.columns),
        "",
    ]
    region = [REGION, *(_region(c) for c in table.columns), ""]
    oracle = [well, region]
    if any(c.best_val is not None for c in table.columns):
        oracle.append([BEST, *(_best(c) for c in table.columns), ""])
    if any(c.tied is not None for c in table.columns):
        oracle.append([_tied_label(table), *(_tied(c) for c in table.columns), ""])
    if any(
        c.percent_effective is not None
        and abs(c.percent_effective - c.percent_remaining) > EFFECTIVE_SHOWN
        for c in table.columns
    ):  # filter_l1: kernels reading removed filters are alive but do nothing
        oracle.append([EFFECTIVE, *(_effective(c) for c in table.columns), ""])
    curves = []
    for curve in table.curves:
        cells = []
        for v, ok in zip(curve.values, curve.inside, strict=True):
            mark = "" if ok is None else (" ✓" if ok else " ✗")
            cells.append(MISSING if v is None else hundredths(v) + mark)
        k, n = inside_count(curve)
        curves.append([curve.label, *cells, f"{k}/{n}" if n else MISSING])
    return [oracle, curves]


def _tied_label(table: OracleTable) -> str:
    return f"{TIED} (p {table.level:g})"


def oracle_notes(table: OracleTable) -> list[str]:
    """The unit/mark footnote, how the accuracies are averaged and compared, then what is
    missing."""
    seeds = sorted({c.seeds for c in table.columns if c.best_val is not None})
    spread = []
    if seeds and seeds != [1]:
        n = "/".join(str(s) for s in seeds)
        spread = [f"{BEST}: the well-tuned point's mean ± sample std over {n} seeds"]
    if any(c.tied is not None for c in table.columns):
        spread.append(
            f"{_tied_label(table)}: the max_lr values whose mean validation accuracy a one-sided "
            f"Welch t-test over the seeds cannot tell from the well-tuned point's at p < "
            f"{table.level:g} (* = a point between them can)"
        )
    return [FOOTNOTE, *spread, *oracle_missing(table)]
